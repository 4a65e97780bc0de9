package dev.facteur.processes.plan.cockpit;

import java.util.List;
import java.util.Set;
import org.camunda.bpm.tasklist.plugin.spi.TasklistPlugin;
import org.camunda.bpm.webapp.plugin.resource.PluginResourceOverride;

/**
 * The plan picture for Tasklist (registered through
 * {@code META-INF/services/org.camunda.bpm.tasklist.plugin.spi.TasklistPlugin}): the plan-approval form shows it
 * as an image served under Tasklist's session, to whoever may see one of the idea's tasks.
 */
public class PlanTasklistPlugin implements TasklistPlugin {

    public static final String ID = "facteur-plan";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Set<Class<?>> getResourceClasses() {
        return Set.of(PlanTasklistRootResource.class);
    }

    @Override
    public String getAssetDirectory() {
        return "plugin-webapp/facteur-plan-tasklist";
    }

    @Override
    public List<PluginResourceOverride> getResourceOverrides() {
        return List.of();
    }
}
