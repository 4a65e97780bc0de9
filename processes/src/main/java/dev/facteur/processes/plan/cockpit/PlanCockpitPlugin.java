package dev.facteur.processes.plan.cockpit;

import java.util.List;
import java.util.Set;
import org.camunda.bpm.cockpit.plugin.spi.CockpitPlugin;
import org.camunda.bpm.webapp.plugin.resource.PluginResourceOverride;

/**
 * Cockpit's "Plan" tab on process instances (Camunda 7 webapp plugin, registered through
 * {@code META-INF/services/org.camunda.bpm.cockpit.plugin.spi.CockpitPlugin}): its script
 * ({@code plugin-webapp/facteur-plan/app/plugin.js}) shows the idea's plan picture, which
 * {@link PlanPluginRootResource} serves under Cockpit's own session authentication.
 */
public class PlanCockpitPlugin implements CockpitPlugin {

    public static final String ID = "facteur-plan";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Set<Class<?>> getResourceClasses() {
        return Set.of(PlanPluginRootResource.class);
    }

    @Override
    public String getAssetDirectory() {
        return "plugin-webapp/" + ID;
    }

    @Override
    public List<PluginResourceOverride> getResourceOverrides() {
        return List.of();
    }

    @Override
    public List<String> getMappingFiles() {
        return List.of();
    }
}
