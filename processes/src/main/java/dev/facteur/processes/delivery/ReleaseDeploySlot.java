package dev.facteur.processes.delivery;

import dev.facteur.model.store.DeliveryStore;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Gives the service's deploy slot back once the idea's deploy has been judged (and rolled back if so). */
@Component("releaseDeploySlot")
class ReleaseDeploySlot implements JavaDelegate {

    private final DeliveryStore deliveries;
    private final DeliveryNotices notices;

    ReleaseDeploySlot(DeliveryStore deliveries, DeliveryNotices notices) {
        this.deliveries = deliveries;
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        deliveries
                .releaseHeldBy(ideaId)
                .ifPresent(service -> notices.audit(ideaId, "deploy.slot.released", Map.of("service", service)));
    }
}
