package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A new stage added the way a Modeler user would: a service task configured only by the "Codex
 * stage" element template (its bindings applied as Modeler applies them), deployed, and run — no
 * Java written for it.
 */
class ElementTemplateStageTest extends EngineTest {

    private static final String CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn";

    @Autowired
    RepositoryService repository;

    @Autowired
    RuntimeService runtime;

    @Autowired
    HistoryService history;

    @Test
    void aStageDefinedOnlyByTheCodexStageTemplateRunsThroughTheExecutor() throws Exception {
        JsonNode template =
                mapper.readTree(Path.of("element-templates/codex-stage.json").toFile());
        BpmnModelInstance model = Bpmn.createExecutableProcess("extra-stage-demo")
                .camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Demo")
                .serviceTask("ServiceTask_SecurityScan")
                .name("Security scan")
                .endEvent("EndEvent_Demo")
                .done();
        ServiceTask task = model.getModelElementById("ServiceTask_SecurityScan");
        apply(
                template,
                model,
                task,
                Map.of(
                        "stageName", "security-scan",
                        "workflowTemplate", "github-codex-security-scan",
                        "stageParameters", "{\"command\": \"test -f README.md && echo scanned\"}"));
        repository
                .createDeployment()
                .addModelInstance("extra-stage-demo.bpmn", model)
                .deploy();

        String ideaId = submit(spec("Idea with an extra stage", repo("demo")));
        String instance = runtime.startProcessInstanceByKey("extra-stage-demo", Map.of("ideaId", ideaId))
                .getId();

        eventually()
                .until(() -> history.createHistoricProcessInstanceQuery()
                                .processInstanceId(instance)
                                .finished()
                                .count()
                        == 1);
        JsonNode run = StreamSupport.stream(idea(ideaId).get("runs").spliterator(), false)
                .filter(r -> r.get("stage").asText().equals("custom:security-scan"))
                .findFirst()
                .orElseThrow();
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("result").get("outputs").get("output").asText()).contains("scanned");
        assertThat(run.get("workflowName").asText()).startsWith("codex-custom-");
    }

    /** Applies an element template's bindings to a task, with the user's values for the visible fields. */
    private static void apply(
            JsonNode template, BpmnModelInstance model, ServiceTask task, Map<String, String> values) {
        CamundaInputOutput io = model.newInstance(CamundaInputOutput.class);
        for (JsonNode property : template.get("properties")) {
            JsonNode binding = property.get("binding");
            String name = binding.get("name").asText();
            String value = values.getOrDefault(name, property.path("value").asText(null));
            switch (binding.get("type").asText()) {
                case "property" -> task.setAttributeValueNs(CAMUNDA_NS, name.substring(name.indexOf(':') + 1), value);
                case "camunda:inputParameter" -> {
                    CamundaInputParameter parameter = model.newInstance(CamundaInputParameter.class);
                    parameter.setCamundaName(name);
                    parameter.setTextContent(value);
                    io.addChildElement(parameter);
                }
                default -> throw new AssertionError("binding not used by the template: " + binding);
            }
        }
        task.builder().addExtensionElement(io);
    }
}
