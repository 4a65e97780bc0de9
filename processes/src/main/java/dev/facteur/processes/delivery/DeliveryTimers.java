package dev.facteur.processes.delivery;

import dev.facteur.model.settings.DeliverySettings;
import org.springframework.stereotype.Component;

/** Timer values the model reads ({@code ${deliveryTimers.slotRecheck}}): configuration, not logic. */
@Component("deliveryTimers")
public class DeliveryTimers {

    private final DeliverySettings settings;

    DeliveryTimers(DeliverySettings settings) {
        this.settings = settings;
    }

    /** How long an idea waits before asking again for a busy service's deploy slot. */
    public String getSlotRecheck() {
        return settings.slotRecheck().toString();
    }
}
