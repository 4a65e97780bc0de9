package dev.facteur.processes.plan.cockpit;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.camunda.bpm.cockpit.plugin.resource.AbstractCockpitPluginRootResource;

/** {@code /camunda/api/cockpit/plugin/facteur-plan/<engine>/process-instance/<id>/plan.svg} and the plugin's assets. */
@Path("plugin/" + PlanCockpitPlugin.ID)
public class PlanPluginRootResource extends AbstractCockpitPluginRootResource {

    public PlanPluginRootResource() {
        super(PlanCockpitPlugin.ID);
    }

    @Path("{engineName}/process-instance")
    public PlanPluginResource processInstance(@PathParam("engineName") String engineName) {
        return subResource(new PlanPluginResource(engineName), engineName);
    }
}
