package dev.facteur.processes.lifecycle;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.junit.jupiter.api.Test;

class JobAcquisitionWaitPluginTest {

    private static ProcessEngineConfigurationImpl engineWith(JobExecutor jobExecutor) {
        ProcessEngineConfigurationImpl configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setJobExecutor(jobExecutor);
        return configuration;
    }

    @Test
    void aMaxWaitBelowTheIdleWaitStopsTheEngineNamingBothProperties() {
        JobExecutor jobExecutor = new DefaultJobExecutor();
        jobExecutor.setMaxWait(2000);

        assertThatThrownBy(() -> new JobAcquisitionWaitPlugin().postInit(engineWith(jobExecutor)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("camunda.bpm.job-execution.max-wait (2000 ms)")
                .hasMessageContaining("camunda.bpm.job-execution.wait-time-in-millis (5000 ms)");
    }

    @Test
    void theDefaultsAndAShorterWaitWithinMaxWaitStart() {
        JobExecutor shorter = new DefaultJobExecutor();
        shorter.setMaxWait(2000);
        shorter.setWaitTimeInMillis(500);

        assertThatCode(() -> new JobAcquisitionWaitPlugin().postInit(engineWith(new DefaultJobExecutor())))
                .doesNotThrowAnyException();
        assertThatCode(() -> new JobAcquisitionWaitPlugin().postInit(engineWith(shorter)))
                .doesNotThrowAnyException();
    }
}
