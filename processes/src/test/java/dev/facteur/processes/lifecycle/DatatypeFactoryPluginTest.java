package dev.facteur.processes.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import javax.xml.datatype.DatatypeFactory;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatatypeFactoryPluginTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(DatatypeFactoryPlugin.PROPERTY);
        System.clearProperty(DatatypeFactoryPlugin.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(DatatypeFactoryPlugin.PROPERTY);
        } else {
            System.setProperty(DatatypeFactoryPlugin.PROPERTY, before);
        }
    }

    @Test
    void theEngineFindsTheJdksDatatypeFactoryWithoutScanningTheClassPath() throws Exception {
        new DatatypeFactoryPlugin().preInit(new StandaloneInMemProcessEngineConfiguration());

        assertThat(System.getProperty(DatatypeFactoryPlugin.PROPERTY))
                .isEqualTo(DatatypeFactory.DATATYPEFACTORY_IMPLEMENTATION_CLASS);
        assertThat(DatatypeFactory.newInstance().getClass().getName())
                .isEqualTo(DatatypeFactory.DATATYPEFACTORY_IMPLEMENTATION_CLASS);
    }

    @Test
    void aDatatypeFactoryNamedByTheOperatorIsKept() {
        System.setProperty(DatatypeFactoryPlugin.PROPERTY, "com.example.OwnDatatypeFactory");

        new DatatypeFactoryPlugin().preInit(new StandaloneInMemProcessEngineConfiguration());

        assertThat(System.getProperty(DatatypeFactoryPlugin.PROPERTY)).isEqualTo("com.example.OwnDatatypeFactory");
    }
}
