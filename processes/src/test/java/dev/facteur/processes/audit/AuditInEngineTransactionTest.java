package dev.facteur.processes.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.idea.Source;
import dev.facteur.model.store.CompletionEvents;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore;
import dev.facteur.processes.EngineTest;
import dev.facteur.workers.stage.AuditedCompletion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 19: an audit event is written in the transaction of the state change it records, so a step the engine rolls
 * back leaves no event. Each failure here is a real one of the engine: a string variable over Camunda's varchar(4000)
 * fails the flush at the end of the command, after every delegate and listener of the step has run.
 */
class AuditInEngineTransactionTest extends EngineTest {

    static final String PROCESS = "test-completion-events";
    static final String TOPIC = "facteur.test.completion-events";
    static final String OVERSIZED = "x".repeat(5000);

    @Autowired
    RepositoryService repository;

    @Autowired
    RuntimeService runtime;

    @Autowired
    EventLog eventLog;

    @Autowired
    IdeaStore ideas;

    @Autowired
    RunStore runStore;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ObjectMapper objectMapper;

    @LocalServerPort
    int port;

    @BeforeEach
    void deploy() {
        // an external task as the models have them: a boundary timer, then a step in the same transaction
        BpmnModelInstance model = Bpmn.createExecutableProcess(PROCESS)
                .camundaHistoryTimeToLive(1)
                .startEvent()
                .serviceTask("ServiceTask_Stage")
                .camundaExternalTask(TOPIC)
                .boundaryEvent("BoundaryEvent_Stuck")
                .timerWithDuration("PT1H")
                .endEvent("EndEvent_Stuck")
                .moveToActivity("ServiceTask_Stage")
                .serviceTask("ServiceTask_AcquireDeploySlot")
                .camundaDelegateExpression("${acquireDeploySlot}")
                .userTask("UserTask_Wait")
                .endEvent()
                .done();
        repository
                .createDeployment()
                .name(PROCESS)
                .enableDuplicateFiltering(true)
                .addModelInstance(PROCESS + ".bpmn", model)
                .deploy();
    }

    @Test
    void anEngineDelegatesEventIsRolledBackWithTheStepThatWroteIt() {
        String rolledBack = newIdea("delegate-rolled-back");
        String committed = newIdea("delegate-committed");

        // the delegate takes the deploy slot and audits it; the flush of the oversized variable then fails
        assertThatThrownBy(() -> runtime.createProcessInstanceByKey(PROCESS)
                        .businessKey(rolledBack)
                        .startAfterActivity("ServiceTask_Stage")
                        .setVariable("summary", OVERSIZED)
                        .execute())
                .isInstanceOf(ProcessEngineException.class);
        runtime.createProcessInstanceByKey(PROCESS)
                .businessKey(committed)
                .startAfterActivity("ServiceTask_Stage")
                .execute();

        assertThat(types(rolledBack)).isEmpty();
        assertThat(types(committed)).containsExactly("deploy.slot.acquired");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM facteur.deploy_locks WHERE idea_id = ?", Integer.class, rolledBack))
                .isZero();
    }

    @Test
    void aCompletionTheEngineRollsBackLeavesNoEventAndTheOneItTakesCommitsItsEventsAndDeliveryWithIt()
            throws Exception {
        String id = newIdea("completion");
        String instance = runtime.startProcessInstanceByKey(PROCESS, id).getId();
        Fetched fetched = fetch(id);
        String workflow = "codex-planning-" + id;
        runStore.start(new RunStore.NewRun(
                id, null, "planning", 1, workflow, "local", fetched.task().getId(), "{}"));
        runStore.finish(workflow, RunStore.SUCCEEDED, "{}", null, "{}");
        CompletionEvents events = new CompletionEvents(
                id,
                "worker:" + TOPIC,
                List.of(
                        new CompletionEvents.Event("plan.accepted", Map.of("tasks", 2)),
                        new CompletionEvents.Event("stage.succeeded", Map.of("workflow", workflow))),
                workflow);

        assertThatThrownBy(() -> AuditedCompletion.complete(
                        fetched.service(),
                        fetched.task(),
                        Map.of("summary", OVERSIZED),
                        events,
                        eventLog,
                        runStore,
                        objectMapper))
                .hasMessageContaining("persistence layer");
        assertThat(types(id)).isEmpty();
        assertThat(runStore.find(workflow).orElseThrow().delivered()).isFalse();

        AuditedCompletion.complete(
                fetched.service(), fetched.task(), Map.of("summary", "fits"), events, eventLog, runStore, objectMapper);

        assertThat(types(id)).containsExactly("plan.accepted", "stage.succeeded", "deploy.slot.acquired");
        String completion = jdbc.queryForObject(
                "SELECT xmin::text FROM act_hi_ext_task_log" + " WHERE proc_inst_id_ = ? AND state_ = 2",
                String.class,
                instance);
        assertThat(jdbc.queryForList("SELECT xmin::text FROM facteur.events WHERE idea_id = ?", String.class, id))
                .containsOnly(completion);
        // the run is marked delivered by the completion's own transaction: not before it, not after it
        assertThat(jdbc.queryForObject(
                        "SELECT xmin::text FROM facteur.runs WHERE workflow_name = ? AND delivered_at IS NOT NULL",
                        String.class,
                        workflow))
                .isEqualTo(completion);
        // the events travelled as a transient variable: stored nowhere, neither at run time nor in history
        for (String table : List.of("act_ru_variable", "act_hi_varinst", "act_hi_detail")) {
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM " + table + " WHERE name_ = ?",
                            Integer.class,
                            CompletionEvents.VARIABLE))
                    .as(table)
                    .isZero();
        }
    }

    private String newIdea(String prefix) {
        String id = prefix + "-" + System.nanoTime();
        ideas.insert(new IdeaStore.NewIdea(
                id,
                Source.API,
                id,
                "Audit",
                Priority.MEDIUM,
                LifecycleState.IDEA_REGISTERED,
                "[]",
                "{}",
                "audit/" + id,
                "test"));
        return id;
    }

    private List<String> types(String ideaId) {
        return eventLog.list(ideaId).stream().map(EventLog.Event::type).toList();
    }

    /** The task of this idea, fetched through the engine's REST API as the workers fetch theirs. */
    private Fetched fetch(String ideaId) throws Exception {
        CompletableFuture<Fetched> fetched = new CompletableFuture<>();
        ExternalTaskClient client = ExternalTaskClient.create()
                .baseUrl("http://127.0.0.1:" + port + "/engine-rest")
                .addInterceptor(new BasicAuthProvider(ADMIN, ADMIN_PASSWORD))
                .asyncResponseTimeout(2000)
                .lockDuration(60_000)
                .build();
        try {
            client.subscribe(TOPIC)
                    .businessKey(ideaId)
                    .includeExtensionProperties(true)
                    .handler((task, service) -> fetched.complete(new Fetched(task, service)))
                    .open();
            return fetched.get(60, TimeUnit.SECONDS);
        } finally {
            client.stop();
        }
    }

    private record Fetched(ExternalTask task, ExternalTaskService service) {}
}
