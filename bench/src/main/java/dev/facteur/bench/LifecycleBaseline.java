package dev.facteur.bench;

import dev.facteur.model.process.CodexTask;
import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.settings.StagesSettings;
import dev.facteur.processes.lifecycle.ReviewLoop;
import dev.facteur.processes.lifecycle.StageTimers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The suite's baseline on Facteur's own models: {@code bpmn/idea-lifecycle.bpmn} and {@code bpmn/codex-task.bpmn},
 * deployed from the application's jar as they are, so that the bare engine runs the same activities, gateways, timers,
 * listeners, input mappings, messages and root instances per idea as Facteur (50 activity instances with 2 tasks).
 * Facteur's beans the models name are replaced by stand-ins that do only the engine's part of their work: set the
 * variables the model's own expressions read (the gateways' conditions, the timers' durations), start a
 * {@code codex-task} instance per plan task and correlate {@code TaskFinished} back to the idea. Nothing is written
 * outside the engine: no idea rows, tasks, events, policy decisions, deploy locks or knowledge base.
 *
 * <p>The stand-ins take the happy path only; any bean of another path fails the completion that reached it, which
 * fails the benchmark.
 */
final class LifecycleBaseline implements BaselineModel {

    /** Per idea: the plan's tasks, whether they were started, how many finished. The client holds the idea's lock. */
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();

    private record Progress(List<String> tasks, AtomicBoolean started, AtomicInteger finished) {}

    @Override
    public String label() {
        return "Facteur's models (idea-lifecycle, codex-task)";
    }

    @Override
    public String processKey() {
        return IdeaLifecycle.PROCESS_KEY;
    }

    @Override
    public void configure(StandaloneProcessEngineConfiguration configuration) {
        Binder settings = applicationSettings();
        Map<Object, Object> beans = new HashMap<>();
        ExecutionListener nothing = execution -> {};
        beans.put("ideaStateListener", nothing); // the idea row's status: Facteur's own
        beans.put("stageTimers", new StageTimers(settings.bindOrCreate("facteur.stages", StagesSettings.class)));
        beans.put(
                "reviewLoop",
                new ReviewAttempts(settings.bindOrCreate("facteur.review", ReviewLoop.Settings.class)
                        .maxAttempts()));
        beans.put("policyCheckpoint", (JavaDelegate) execution -> {
            ProcessVariables.POLICY_OUTCOME.set(execution, "ALLOW");
            ProcessVariables.POLICY_HOLD.set(execution, false);
        });
        beans.put("dispatchReadyTasks", (JavaDelegate) this::dispatchReadyTasks);
        beans.put("taskFinishedNotifier", (JavaDelegate) this::taskFinished);
        beans.put("acquireDeploySlot", (JavaDelegate)
                execution -> ProcessVariables.DEPLOY_SLOT_ACQUIRED.set(execution, true));
        beans.put("releaseDeploySlot", (JavaDelegate) execution -> {});
        for (String offPath : List.of(
                "countIntegrationAttempt",
                "planIntegrationRework",
                "remediationBudget",
                "approvalEscalation",
                "approvalGate",
                "approvalTimers",
                "deliveryTimers")) {
            beans.put(offPath, new OffThePath(offPath));
        }
        configuration.setBeans(beans);
    }

    @Override
    public void deploy(ProcessEngine engine) {
        engine.getRepositoryService()
                .createDeployment()
                .addClasspathResource("bpmn/idea-lifecycle.bpmn")
                .addClasspathResource("bpmn/codex-task.bpmn")
                .deploy();
    }

    @Override
    public void start(ProcessEngine engine, String ideaId, List<String> tasks) {
        progress.put(ideaId, new Progress(tasks, new AtomicBoolean(), new AtomicInteger()));
        engine.getRuntimeService()
                .startProcessInstanceByKey(
                        IdeaLifecycle.PROCESS_KEY, ideaId, Map.ofEntries(ProcessVariables.IDEA_ID.to(ideaId)));
    }

    @Override
    public Map<String, Object> completion(String topic) {
        Map<String, Object> variables = new HashMap<>();
        switch (topic) {
            case "codex.review" -> ProcessVariables.QA_PASSED.put(variables, true);
            case "codex.integration" -> {
                ProcessVariables.INTEGRATED.put(variables, true);
                ProcessVariables.INTEGRATION_NEEDS_PERSON.put(variables, false);
            }
            case "deploy.monitor" -> ProcessVariables.ANALYSIS_VERDICT.put(variables, "HEALTHY");
            default -> {}
        }
        return variables;
    }

    /** Facteur queues the ready tasks and its dispatcher starts them; here all of a plan's tasks start at once. */
    private void dispatchReadyTasks(DelegateExecution execution) {
        String ideaId = execution.getProcessBusinessKey();
        Progress idea = progress.get(ideaId);
        if (idea.started().compareAndSet(false, true)) {
            for (String task : idea.tasks()) {
                execution
                        .getProcessEngineServices()
                        .getRuntimeService()
                        .startProcessInstanceByKey(
                                CodexTask.PROCESS_KEY,
                                CodexTask.businessKey(ideaId, task),
                                Map.ofEntries(ProcessVariables.IDEA_ID.to(ideaId), ProcessVariables.TASK_ID.to(task)));
            }
        }
        ProcessVariables.ALL_TASKS_DONE.set(
                execution, idea.finished().get() == idea.tasks().size());
    }

    private void taskFinished(DelegateExecution execution) {
        String ideaId = ProcessVariables.IDEA_ID.get(execution);
        progress.get(ideaId).finished().incrementAndGet();
        execution
                .getProcessEngineServices()
                .getRuntimeService()
                .createMessageCorrelation(IdeaLifecycle.MESSAGE_TASK_FINISHED)
                .processInstanceBusinessKey(ideaId)
                .correlateAll();
    }

    /**
     * {@code facteur.*} as the application's {@code application.yaml} sets them, bound to the application's own
     * settings records (their defaults included): the models' timer values and the review loop's bound.
     */
    private static Binder applicationSettings() {
        ClassPathResource resource = new ClassPathResource("application.yaml");
        if (!resource.exists()) {
            throw new IllegalStateException("the application's application.yaml is not on the class path");
        }
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(resource);
        return new Binder(new MapConfigurationPropertySource(yaml.getObject()));
    }

    /** {@code ${reviewLoop}}: counts review attempts in the variable the QA gateway reads. */
    public record ReviewAttempts(int maxAttempts) implements ExecutionListener {
        public int getMaxAttempts() {
            return maxAttempts;
        }

        @Override
        public void notify(DelegateExecution execution) {
            int attempt = EVENTNAME_TAKE.equals(execution.getEventName())
                    ? 0
                    : ProcessVariables.REVIEW_ATTEMPT.get(execution, 0) + 1;
            ProcessVariables.REVIEW_ATTEMPT.set(execution, attempt);
        }
    }

    /** A bean off the happy path: reaching it means the baseline left the path it stands for. */
    private record OffThePath(String bean) implements JavaDelegate, ExecutionListener {
        @Override
        public void execute(DelegateExecution execution) {
            notify(execution);
        }

        @Override
        public void notify(DelegateExecution execution) {
            throw new IllegalStateException(
                    bean + " is off the happy path the baseline stands for, at " + execution.getCurrentActivityId());
        }
    }
}
