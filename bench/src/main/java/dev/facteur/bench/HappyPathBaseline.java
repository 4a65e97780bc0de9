package dev.facteur.bench;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;

/**
 * The suite's first baseline model, generated: {@code idea-lifecycle}'s happy path reduced to its stages (planning,
 * a parallel multi-instance call activity over the plan's tasks, each a child process with one implementation task,
 * review, integration, deploy, monitor, a gateway on the verdict), every external task with a non-interrupting
 * "stuck" timer: 17 activity instances per idea with 2 tasks, where Facteur's own model runs 50
 * ({@link LifecycleBaseline} runs those).
 */
final class HappyPathBaseline implements BaselineModel {

    @Override
    public String label() {
        return "happy-path stages (generated)";
    }

    @Override
    public String processKey() {
        return "baseline-lifecycle";
    }

    @Override
    public void deploy(ProcessEngine engine) {
        engine.getRepositoryService()
                .createDeployment()
                .addModelInstance("baseline-lifecycle.bpmn", lifecycleModel())
                .addModelInstance("baseline-task.bpmn", taskModel())
                .deploy();
    }

    @Override
    public void start(ProcessEngine engine, String ideaId, List<String> tasks) {
        engine.getRuntimeService().startProcessInstanceByKey(processKey(), ideaId, Map.of("tasks", tasks));
    }

    @Override
    public Map<String, Object> completion(String topic) {
        return topic.equals("deploy.monitor") ? Map.of("monitorVerdict", "HEALTHY") : Map.of();
    }

    private static BpmnModelInstance lifecycleModel() {
        var builder = Bpmn.createExecutableProcess("baseline-lifecycle")
                .name("Baseline lifecycle")
                .camundaHistoryTimeToLive(30)
                .startEvent("registered")
                .name("Idea registered");
        org.camunda.bpm.model.bpmn.builder.AbstractFlowNodeBuilder<?, ?> flow = external(
                        builder.serviceTask("planning").name("Planning"), "codex.planning")
                .callActivity("tasks")
                .name("Run tasks")
                .calledElement("baseline-task")
                .multiInstance()
                .parallel()
                .camundaCollection("${tasks}")
                .camundaElementVariable("task")
                .<org.camunda.bpm.model.bpmn.builder.CallActivityBuilder>multiInstanceDone();
        flow = external(flow.serviceTask("review").name("QA review"), "codex.review");
        flow = external(flow.serviceTask("integration").name("Integration"), "codex.integration");
        flow = external(flow.serviceTask("deploy").name("Deployment"), "codex.deploy");
        flow = external(flow.serviceTask("monitor").name("Monitoring"), "deploy.monitor");
        BpmnModelInstance model = flow.exclusiveGateway("healthy")
                .name("Healthy?")
                .condition("yes", "${monitorVerdict == 'HEALTHY'}")
                .endEvent("completed")
                .name("Completed")
                .moveToLastGateway()
                .condition("no", "${monitorVerdict != 'HEALTHY'}")
                .endEvent("remediation")
                .name("Remediation")
                .done();
        for (String id : List.of("planning", "review", "integration", "deploy", "monitor")) {
            stuckTimer(model, id);
        }
        return model;
    }

    private static BpmnModelInstance taskModel() {
        BpmnModelInstance model = external(
                        Bpmn.createExecutableProcess("baseline-task")
                                .name("Baseline task")
                                .camundaHistoryTimeToLive(30)
                                .startEvent("queued")
                                .name("Task started")
                                .serviceTask("implementation")
                                .name("Implementation"),
                        "codex.implementation")
                .endEvent("done")
                .name("Task done")
                .done();
        stuckTimer(model, "implementation");
        return model;
    }

    private static org.camunda.bpm.model.bpmn.builder.AbstractFlowNodeBuilder<?, ?> external(
            org.camunda.bpm.model.bpmn.builder.ServiceTaskBuilder task, String topic) {
        return task.camundaExternalTask(topic);
    }

    private static void stuckTimer(BpmnModelInstance model, String activity) {
        org.camunda.bpm.model.bpmn.instance.ServiceTask task = model.getModelElementById(activity);
        task.builder()
                .boundaryEvent(activity + "-stuck")
                .name("Stuck?")
                .cancelActivity(false)
                .timerWithCycle("R/PT30M")
                .endEvent(activity + "-stuck-end")
                .name("Checked");
    }
}
