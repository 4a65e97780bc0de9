package dev.facteur.processes.plan.cockpit;

import java.util.Set;
import org.camunda.bpm.cockpit.plugin.spi.impl.AbstractCockpitPlugin;

/**
 * Cockpit's "Plan" tab on process instances (Camunda 7 webapp plugin, registered through
 * {@code META-INF/services/org.camunda.bpm.cockpit.plugin.spi.CockpitPlugin}): its script
 * ({@code plugin-webapp/facteur-plan/app/plugin.js}) shows the idea's plan picture, which
 * {@link PlanPluginRootResource} serves under Cockpit's own session authentication. Its assets are in
 * {@code plugin-webapp/<id>}, Camunda's default.
 */
public class PlanCockpitPlugin extends AbstractCockpitPlugin {

    public static final String ID = "facteur-plan";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Set<Class<?>> getResourceClasses() {
        return Set.of(PlanPluginRootResource.class);
    }
}
