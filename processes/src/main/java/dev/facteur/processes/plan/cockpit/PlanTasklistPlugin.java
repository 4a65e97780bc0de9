package dev.facteur.processes.plan.cockpit;

import dev.facteur.processes.approval.ApprovalGates;
import java.util.Set;
import org.camunda.bpm.tasklist.plugin.spi.impl.AbstractTasklistPlugin;

/**
 * The plan picture for Tasklist (registered through
 * {@code META-INF/services/org.camunda.bpm.tasklist.plugin.spi.TasklistPlugin}): the plan-approval form shows it
 * as an image served under Tasklist's session, to whoever may see one of the idea's tasks.
 */
public class PlanTasklistPlugin extends AbstractTasklistPlugin {

    /** The plugin the plan-approval form's image names ({@link ApprovalGates#planPicturePath}). */
    public static final String ID = ApprovalGates.PLAN_PICTURE_PLUGIN;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Set<Class<?>> getResourceClasses() {
        return Set.of(PlanTasklistRootResource.class);
    }

    /** Not Camunda's default {@code plugin-webapp/<id>}: that folder holds the Cockpit plugin's assets. */
    @Override
    public String getAssetDirectory() {
        return "plugin-webapp/facteur-plan-tasklist";
    }
}
