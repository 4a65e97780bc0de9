package dev.facteur.processes.lifecycle;

import javax.xml.datatype.DatatypeFactory;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/**
 * Names the JDK's own {@link DatatypeFactory} implementation in JAXP's system property before the engine starts.
 * Camunda builds a {@code DatatypeFactory} for every timer it schedules (each stage's "stuck" check, every
 * re-check): without the property, JAXP's lookup scans every jar on the class path for a service entry, each time,
 * which was 6 % of the engine JVM's CPU at capacity (a JFR recording of {@code bench/run.sh suite}). A value you set
 * yourself ({@code -Djavax.xml.datatype.DatatypeFactory=...}) is kept.
 */
@Component
class DatatypeFactoryPlugin extends AbstractProcessEnginePlugin {

    static final String PROPERTY = DatatypeFactory.DATATYPEFACTORY_PROPERTY;

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, DatatypeFactory.DATATYPEFACTORY_IMPLEMENTATION_CLASS);
        }
    }
}
