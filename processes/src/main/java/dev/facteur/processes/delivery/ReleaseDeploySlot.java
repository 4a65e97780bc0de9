package dev.facteur.processes.delivery;

import dev.facteur.model.settings.DeliverySettings;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.IdeaStore;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Gives the service's deploy slot back once the idea's deploy has been judged (and rolled back if so). */
@Component("releaseDeploySlot")
class ReleaseDeploySlot implements JavaDelegate {

    private final IdeaStore ideas;
    private final DeliveryStore deliveries;
    private final DeliverySettings settings;
    private final DeliveryNotices notices;

    ReleaseDeploySlot(IdeaStore ideas, DeliveryStore deliveries, DeliverySettings settings, DeliveryNotices notices) {
        this.ideas = ideas;
        this.deliveries = deliveries;
        this.settings = settings;
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        String service = settings.service(ideas.find(ideaId).orElseThrow().repository());
        if (deliveries.release(service, ideaId)) {
            notices.audit(ideaId, "deploy.slot.released", Map.of("service", service));
        }
    }
}
