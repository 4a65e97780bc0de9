package dev.facteur.processes.lifecycle;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.stereotype.Component;

/**
 * Refuses to start the engine when its job acquisition would poll the database without pause. Camunda's
 * {@code BackoffJobAcquisitionStrategy} waits between empty acquisitions only when {@code wait-time-in-millis} and
 * {@code max-wait} are positive, the first is at most the second and {@code wait-increase-factor} is positive; any
 * other setting leaves it no idle level, so the wait stays 0 ms and the engine runs its acquisition query thousands of
 * times a second (it took more than half a core per engine and 2,400 transactions a second in the tests, which had
 * only {@code max-wait: 2000}). A factor of at most 1 never grows the wait, so it is refused too.
 */
@Component
class JobAcquisitionWaitPlugin extends AbstractProcessEnginePlugin {

    private static final String PREFIX = "camunda.bpm.job-execution.";

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        JobExecutor jobExecutor = configuration.getJobExecutor();
        if (jobExecutor == null) {
            return;
        }
        String problem = problemOf(jobExecutor);
        if (problem != null) {
            throw new IllegalStateException(problem + ": the job acquisition would query the database without pause");
        }
    }

    private static String problemOf(JobExecutor jobExecutor) {
        long maxWait = jobExecutor.getMaxWait();
        int waitTime = jobExecutor.getWaitTimeInMillis();
        float factor = jobExecutor.getWaitIncreaseFactor();
        if (waitTime <= 0) {
            return "%swait-time-in-millis (%d ms) must be positive".formatted(PREFIX, waitTime);
        }
        if (maxWait <= 0) {
            return "%smax-wait (%d ms) must be positive".formatted(PREFIX, maxWait);
        }
        if (maxWait < waitTime) {
            return "%smax-wait (%d ms) is below %swait-time-in-millis (%d ms); set wait-time-in-millis to at most max-wait"
                    .formatted(PREFIX, maxWait, PREFIX, waitTime);
        }
        if (!(factor > 1)) {
            return "%swait-increase-factor (%s) must be greater than 1".formatted(PREFIX, factor);
        }
        return null;
    }
}
