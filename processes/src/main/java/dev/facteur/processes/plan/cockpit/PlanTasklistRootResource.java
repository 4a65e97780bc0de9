package dev.facteur.processes.plan.cockpit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import org.camunda.bpm.tasklist.resource.AbstractTasklistPluginResource;
import org.camunda.bpm.tasklist.resource.AbstractTasklistPluginRootResource;

/** {@code /camunda/api/tasklist/plugin/facteur-plan/<engine>/idea/<id>/plan.svg} and the plugin's (empty) script. */
@Path("plugin/" + PlanTasklistPlugin.ID)
public class PlanTasklistRootResource extends AbstractTasklistPluginRootResource {

    // serves ApprovalGates.planPicturePath: <plugin>/<engine>/idea/<id>/plan.svg
    public PlanTasklistRootResource() {
        super(PlanTasklistPlugin.ID);
    }

    @Path("{engineName}/idea")
    public Ideas ideas(@PathParam("engineName") String engineName) {
        return subResource(new Ideas(engineName), engineName);
    }

    /** Found only when the signed-in user sees one of the idea's tasks (Camunda's task authorizations). */
    public static class Ideas extends AbstractTasklistPluginResource {

        Ideas(String engineName) {
            super(engineName);
        }

        @GET
        @Path("{ideaId}/plan.svg")
        @Produces("image/svg+xml")
        public String plan(@PathParam("ideaId") String ideaId) {
            if (getProcessEngine().getIdentityService().getCurrentAuthentication() == null) {
                throw new NotAuthorizedException("sign in to Tasklist");
            }
            if (getProcessEngine()
                            .getTaskService()
                            .createTaskQuery()
                            .processInstanceBusinessKey(ideaId)
                            .count()
                    == 0) {
                throw new NotFoundException("no task of idea " + ideaId + " you may see");
            }
            return PlanPictureSource.pictures()
                    .svg(ideaId)
                    .orElseThrow(() -> new NotFoundException("no idea " + ideaId));
        }
    }
}
