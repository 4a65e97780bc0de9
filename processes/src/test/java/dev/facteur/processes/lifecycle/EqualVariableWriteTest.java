package dev.facteur.processes.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.model.process.ProcessVariables;
import dev.facteur.processes.EngineTest;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code Var.set} on a real execution: writing the value a variable already holds leaves no history behind. */
class EqualVariableWriteTest extends EngineTest {

    @Autowired
    ProcessEngine engine;

    @Autowired
    HistoryService history;

    private String deployment;

    @AfterEach
    void removeTheProbe() {
        if (deployment != null) {
            engine.getRepositoryService().deleteDeployment(deployment, true);
        }
    }

    @Test
    void aVariableSetToTheValueItHoldsIsNotWrittenAgain() {
        deployment = engine.getRepositoryService()
                .createDeployment()
                .addModelInstance(
                        "var-set-probe.bpmn",
                        Bpmn.createExecutableProcess("var-set-probe")
                                .startEvent()
                                .userTask("wait")
                                .endEvent()
                                .done())
                .deploy()
                .getId();
        String instance = engine.getRuntimeService()
                .startProcessInstanceByKey("var-set-probe")
                .getId();

        for (String outcome : List.of("ALLOW", "ALLOW", "REVIEW", "REVIEW", "ALLOW")) {
            ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                    .getCommandExecutorTxRequired()
                    .execute(context -> {
                        ExecutionEntity execution =
                                context.getExecutionManager().findExecutionById(instance);
                        ProcessVariables.POLICY_OUTCOME.set(execution, outcome);
                        return null;
                    });
        }

        assertThat(history.createHistoricDetailQuery()
                        .processInstanceId(instance)
                        .variableUpdates()
                        .orderPartiallyByOccurrence()
                        .asc()
                        .list())
                .extracting(detail -> ((HistoricVariableUpdate) detail).getValue())
                .containsExactly("ALLOW", "REVIEW", "ALLOW");
        assertThat(engine.getRuntimeService().getVariable(instance, ProcessVariables.POLICY_OUTCOME.name()))
                .isEqualTo("ALLOW");
    }
}
