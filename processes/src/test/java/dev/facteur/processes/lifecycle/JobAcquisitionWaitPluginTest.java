package dev.facteur.processes.lifecycle;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobAcquisitionWaitPluginTest {

    private static ProcessEngineConfigurationImpl engineWith(JobExecutor jobExecutor) {
        ProcessEngineConfigurationImpl configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setJobExecutor(jobExecutor);
        return configuration;
    }

    private static JobExecutor jobExecutor(int waitTimeInMillis, long maxWait, float waitIncreaseFactor) {
        JobExecutor jobExecutor = new DefaultJobExecutor();
        jobExecutor.setWaitTimeInMillis(waitTimeInMillis);
        jobExecutor.setMaxWait(maxWait);
        jobExecutor.setWaitIncreaseFactor(waitIncreaseFactor);
        return jobExecutor;
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

    @ParameterizedTest(name = "wait {0} ms, max-wait {1} ms, factor {2}: refused naming {3}")
    @CsvSource({
        "0, 2000, 2, wait-time-in-millis (0 ms)",
        "-1, 2000, 2, wait-time-in-millis (-1 ms)",
        "500, 0, 2, max-wait (0 ms)",
        "500, 2000, 0, wait-increase-factor (0.0)",
        "500, 2000, 1, wait-increase-factor (1.0)",
        "500, 2000, 0.5, wait-increase-factor (0.5)"
    })
    void aSettingThatLeavesTheAcquisitionNoIdleWaitStopsTheEngineNamingIt(
            int waitTimeInMillis, long maxWait, float factor, String named) {
        JobExecutor jobExecutor = jobExecutor(waitTimeInMillis, maxWait, factor);

        assertThatThrownBy(() -> new JobAcquisitionWaitPlugin().postInit(engineWith(jobExecutor)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("camunda.bpm.job-execution." + named)
                .hasMessageContaining("without pause");
    }

    @Test
    void theDefaultsAndAShorterWaitWithinMaxWaitStart() {
        assertThatCode(() -> new JobAcquisitionWaitPlugin().postInit(engineWith(new DefaultJobExecutor())))
                .doesNotThrowAnyException();
        assertThatCode(() -> new JobAcquisitionWaitPlugin().postInit(engineWith(jobExecutor(500, 2000, 2))))
                .doesNotThrowAnyException();
        assertThatCode(() -> new JobAcquisitionWaitPlugin().postInit(engineWith(jobExecutor(2000, 2000, 1.5f))))
                .doesNotThrowAnyException();
    }
}
