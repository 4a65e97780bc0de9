package dev.facteur.processes.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facteur.model.store.CompletionEvents;
import dev.facteur.processes.EngineTest;
import dev.facteur.workers.runtime.WorkerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.client.exception.BadRequestException;
import org.camunda.bpm.client.exception.NotFoundException;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The in-process workers' tasks through the engine's Java API: fetched with their variables and extension properties,
 * handed over as soon as the engine creates one (not at the end of a long poll), the engine's refusals reported as
 * the REST client reports them, which is what the stage workers tell apart, and a completion made in the worker's own
 * transaction.
 */
class EngineTaskSourceTest extends EngineTest {

    static final String PROCESS = "test-engine-task-source";
    static final String TOPIC = "facteur.test.engine-task-source";

    @Autowired
    RepositoryService repository;

    @Autowired
    RuntimeService runtime;

    @Autowired
    ExternalTaskService externalTasks;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void deploy() {
        BpmnModelInstance model = Bpmn.createExecutableProcess(PROCESS)
                .camundaHistoryTimeToLive(1)
                .startEvent()
                .serviceTask("ServiceTask_Stage")
                .camundaExternalTask(TOPIC)
                .userTask("UserTask_Wait")
                .endEvent()
                .done();
        CamundaProperty property = model.newInstance(CamundaProperty.class);
        property.setCamundaName("facteur.test");
        property.setCamundaValue("yes");
        CamundaProperties properties = model.newInstance(CamundaProperties.class);
        properties.getCamundaProperties().add(property);
        ServiceTask stage = model.getModelElementById("ServiceTask_Stage");
        stage.builder().addExtensionElement(properties);
        repository
                .createDeployment()
                .name(PROCESS)
                .enableDuplicateFiltering(true)
                .addModelInstance(PROCESS + ".bpmn", model)
                .deploy();
    }

    @Test
    void aTaskCreatedWhileTheSourceWaitsIsHandedOverAtOnceWithItsVariablesAndProperties() {
        CompletableFuture<ExternalTask> handed = new CompletableFuture<>();
        EngineTaskSource source =
                new EngineTaskSource(externalTasks, runtime, repository, settings(Duration.ofMinutes(5)));
        try {
            source.start(Map.of(TOPIC, (task, service) -> handed.complete(task)));
            // the fetch found nothing and waits: a long poll of five minutes
            eventually()
                    .until(() -> Thread.getAllStackTraces().keySet().stream()
                            .anyMatch(thread -> thread.getName().endsWith(source.workerId())
                                    && thread.getState() == Thread.State.TIMED_WAITING));

            String instance = runtime.startProcessInstanceByKey(PROCESS, Map.of("ideaId", "engine-source-1"))
                    .getId();

            ExternalTask task = handed.orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(task.getProcessInstanceId()).isEqualTo(instance);
            assertThat(task.getWorkerId()).isEqualTo(source.workerId());
            assertThat((String) task.getVariable("ideaId")).isEqualTo("engine-source-1");
            assertThat(task.getExtensionProperty("facteur.test")).isEqualTo("yes");
            // and the one the engine's parse step adds: the engine writes the completion's audit events
            assertThat(task.getExtensionProperty(CompletionEvents.ENGINE_WRITES_THEM))
                    .isEqualTo("1");
        } finally {
            source.close();
        }
    }

    @Test
    void aFetchTakesWhatTheHandlersCanTakeHighestPriorityThenOldestFirstAndLeavesTheRestToAnyWorker() {
        String process = PROCESS + "-order";
        String topic = TOPIC + ".order";
        repository
                .createDeployment()
                .name(process)
                .enableDuplicateFiltering(true)
                .addModelInstance(
                        process + ".bpmn",
                        Bpmn.createExecutableProcess(process)
                                .camundaHistoryTimeToLive(1)
                                .startEvent()
                                .serviceTask("ServiceTask_Stage")
                                .camundaExternalTask(topic)
                                .camundaTaskPriority("${priority}")
                                .userTask("UserTask_Wait")
                                .endEvent()
                                .done())
                .deploy();
        String older = runtime.startProcessInstanceByKey(process, Map.of("priority", 0))
                .getId();
        String newer = runtime.startProcessInstanceByKey(process, Map.of("priority", 0))
                .getId();
        String urgent = runtime.startProcessInstanceByKey(process, Map.of("priority", 10))
                .getId();
        assertThat(externalTasks.createExternalTaskQuery().topicName(topic).list())
                .extracting(task -> task.getCreateTime().getTime())
                .doesNotHaveDuplicates();

        // one handler free: the fetch takes one task for it and one for the next to free
        Semaphore oneFree = new Semaphore(0);
        List<String> handed = new CopyOnWriteArrayList<>();
        EngineTaskSource source =
                new EngineTaskSource(externalTasks, runtime, repository, settings(Duration.ofMinutes(5)));
        try {
            source.start(Map.of(topic, (task, service) -> handed.add(task.getProcessInstanceId())), () -> {
                oneFree.acquireUninterruptibly();
                return 1;
            });
            oneFree.release();
            eventually().until(() -> handed.size() == 2);

            assertThat(handed).containsExactly(urgent, older);
            // the third waits in the engine, unlocked, for whichever worker fetches next
            assertThat(externalTasks
                            .createExternalTaskQuery()
                            .processInstanceId(newer)
                            .notLocked()
                            .count())
                    .isOne();
        } finally {
            oneFree.release(10);
            source.close();
        }
    }

    @Test
    void theEnginesRefusalsAreReportedAsTheRestClientReportsThem() {
        String instance = runtime.startProcessInstanceByKey(PROCESS, Map.of("ideaId", "engine-source-2"))
                .getId();
        String taskId = externalTasks
                .fetchAndLock(1, "another-worker")
                .topic(TOPIC, 60_000)
                .processInstanceVariableEquals("ideaId", "engine-source-2")
                .execute()
                .get(0)
                .getId();
        EngineTaskService service = new EngineTaskService(externalTasks, runtime, "this-worker");

        assertThatThrownBy(() -> service.complete(taskId, Map.of(), Map.of()))
                .isInstanceOfSatisfying(BadRequestException.class, refused -> {
                    assertThat(refused.getHttpStatusCode()).isEqualTo(400);
                    assertThat(refused.getType()).isEqualTo("BadUserRequestException");
                    assertThat(refused.getMessage()).contains("another-worker");
                });
        assertThatThrownBy(() -> service.extendLock("no-such-task", 1_000))
                .isInstanceOfSatisfying(
                        NotFoundException.class,
                        missing -> assertThat(missing.getHttpStatusCode()).isEqualTo(404));
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceId(instance)
                        .activityIdIn("ServiceTask_Stage")
                        .count())
                .isOne();

        new EngineTaskService(externalTasks, runtime, "another-worker").complete(taskId, Map.of(), Map.of());
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceId(instance)
                        .activityIdIn("UserTask_Wait")
                        .count())
                .isOne();
    }

    @Test
    void aPlansTasksCommitWithTheCompletionThatTakesThePlan() {
        String id = submit(spec("Plan and completion in one commit", repo("one-commit")));
        eventually().until(() -> idea(id).get("tasks").size() >= 1);

        // the plan's dependencies (rows never updated afterwards, unlike its tasks) and the event the engine's
        // completion wrote: the same transaction (xmin)
        assertThat(jdbc.queryForList("""
                        SELECT DISTINCT d.xmin::text = e.xmin::text FROM facteur.task_dependencies d
                        JOIN facteur.tasks t ON t.id = d.task_id
                        JOIN facteur.events e ON e.idea_id = t.idea_id AND e.event_type = 'stage.succeeded'
                                                AND e.payload->>'workflow' LIKE 'codex-planning-%'
                        WHERE t.idea_id = ?""", Boolean.class, id)).containsExactly(true);
    }

    private static WorkerSettings settings(Duration longPoll) {
        return new WorkerSettings(
                true,
                "",
                "facteur-worker",
                "",
                Duration.ofMinutes(1),
                longPoll,
                10,
                1,
                2,
                Duration.ofSeconds(10),
                Duration.ofMinutes(15),
                "",
                3);
    }
}
