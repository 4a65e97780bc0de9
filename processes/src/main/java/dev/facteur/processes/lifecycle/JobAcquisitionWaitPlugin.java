package dev.facteur.processes.lifecycle;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.stereotype.Component;

/**
 * Refuses to start the engine when its job acquisition would poll the database without pause. Camunda's acquisition
 * backs off from {@code wait-time-in-millis} up to {@code max-wait} while no job is due, but only when the first is at
 * most the second: set {@code camunda.bpm.job-execution.max-wait} below the default wait (5 s) alone and the idle
 * wait stays 0 ms. The engine then runs its acquisition query thousands of times a second (it took more than half a
 * core per engine and 2,400 transactions a second in the tests, which had only {@code max-wait: 2000}).
 */
@Component
class JobAcquisitionWaitPlugin extends AbstractProcessEnginePlugin {

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        JobExecutor jobExecutor = configuration.getJobExecutor();
        if (jobExecutor != null && jobExecutor.getMaxWait() < jobExecutor.getWaitTimeInMillis()) {
            throw new IllegalStateException(("camunda.bpm.job-execution.max-wait (%d ms) is below"
                            + " camunda.bpm.job-execution.wait-time-in-millis (%d ms): the job acquisition would query"
                            + " the database without pause; set wait-time-in-millis to at most max-wait")
                    .formatted(jobExecutor.getMaxWait(), jobExecutor.getWaitTimeInMillis()));
        }
    }
}
