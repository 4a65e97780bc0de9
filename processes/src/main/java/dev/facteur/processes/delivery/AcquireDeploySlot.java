package dev.facteur.processes.delivery;

import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.settings.DeliverySettings;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.IdeaStore;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Takes the deploy slot of the idea's service (a row in {@code deploy_locks}, in the engine's
 * transaction) and tells the model whether it got it; the model waits and asks again otherwise. A
 * slot held by an idea whose lifecycle has ended (cancelled meanwhile) is taken over.
 */
@Component("acquireDeploySlot")
class AcquireDeploySlot implements JavaDelegate {

    private final IdeaStore ideas;
    private final DeliveryStore deliveries;
    private final DeliverySettings settings;
    private final RuntimeService runtime;
    private final DeliveryNotices notices;

    AcquireDeploySlot(
            IdeaStore ideas,
            DeliveryStore deliveries,
            DeliverySettings settings,
            @Lazy RuntimeService runtime,
            DeliveryNotices notices) {
        this.ideas = ideas;
        this.deliveries = deliveries;
        this.settings = settings;
        this.runtime = runtime;
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        String service = settings.service(ideas.find(ideaId).orElseThrow().repository());
        boolean acquired = deliveries.acquire(
                service,
                ideaId,
                holder -> runtime.createProcessInstanceQuery()
                                .processDefinitionKey(IdeaLifecycle.PROCESS_KEY)
                                .processInstanceBusinessKey(holder)
                                .count()
                        > 0);
        boolean waitingAlready = Boolean.FALSE.equals(ProcessVariables.DEPLOY_SLOT_ACQUIRED.get(execution));
        ProcessVariables.DEPLOY_SLOT_ACQUIRED.set(execution, acquired);
        if (!acquired && waitingAlready) {
            return; // audited when the wait began; not once per re-check
        }
        notices.audit(
                ideaId,
                acquired ? "deploy.slot.acquired" : "deploy.slot.busy",
                Map.of("service", service, "holder", deliveries.holder(service).orElse("")));
    }
}
