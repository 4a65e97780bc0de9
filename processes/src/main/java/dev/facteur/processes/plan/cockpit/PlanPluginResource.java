package dev.facteur.processes.plan.cockpit;

import dev.facteur.model.process.IdeaLifecycle;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import org.camunda.bpm.cockpit.plugin.resource.AbstractCockpitPluginResource;
import org.camunda.bpm.engine.history.HistoricProcessInstance;

/**
 * The plan picture of the idea an {@code idea-lifecycle} instance belongs to. The instance is looked up as the
 * signed-in Cockpit user, so Camunda's authorizations decide who sees it; other processes' instances are 404.
 */
public class PlanPluginResource extends AbstractCockpitPluginResource {

    PlanPluginResource(String engineName) {
        super(engineName);
    }

    @GET
    @Path("{id}/plan.svg")
    @Produces("image/svg+xml")
    public String plan(@PathParam("id") String processInstanceId) {
        if (getProcessEngine().getIdentityService().getCurrentAuthentication() == null) {
            throw new NotAuthorizedException("sign in to Cockpit");
        }
        HistoricProcessInstance instance = getProcessEngine()
                .getHistoryService()
                .createHistoricProcessInstanceQuery()
                .processInstanceId(processInstanceId)
                .processDefinitionKey(IdeaLifecycle.PROCESS_KEY)
                .singleResult();
        if (instance == null || instance.getBusinessKey() == null) {
            throw new NotFoundException("no idea-lifecycle instance " + processInstanceId + " you may read");
        }
        return PlanPictureSource.pictures()
                .svg(instance.getBusinessKey())
                .orElseThrow(() -> new NotFoundException("no idea " + instance.getBusinessKey()));
    }
}
