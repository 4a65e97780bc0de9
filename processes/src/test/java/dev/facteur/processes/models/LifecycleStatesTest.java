package dev.facteur.processes.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.facteur.model.idea.LifecycleState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.junit.jupiter.api.Test;

/**
 * The states {@code ideas.status} holds, against the models as deployed: every element whose start the
 * state listener records stands for a declared {@link LifecycleState} (else the listener would fail the
 * step at run time), and every state but SUBMITTED is entered through an element that exists.
 */
class LifecycleStatesTest {

    private static final String LISTENER = "${ideaStateListener}";

    @Test
    void everyElementTheStateListenerWatchesStandsForAState() throws IOException {
        List<String> watched = watchedElementIds();

        assertThat(watched).as("elements with the state listener").isNotEmpty();
        for (String id : watched) {
            assertThatCode(() -> LifecycleState.ofElement(id)).as(id).doesNotThrowAnyException();
        }
    }

    @Test
    void everyElementAStateDeclaresIsWatchedInTheModel() throws IOException {
        List<String> declared = Arrays.stream(LifecycleState.values())
                .flatMap(state -> state.elementIds().stream())
                .toList();

        assertThat(watchedElementIds()).containsExactlyInAnyOrderElementsOf(declared);
    }

    private static List<String> watchedElementIds() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/bpmn"))) {
            return files.filter(p -> p.toString().endsWith(".bpmn"))
                    .map(p -> Bpmn.readModelFromFile(p.toFile()))
                    .flatMap(model -> model.getModelElementsByType(FlowNode.class).stream())
                    .filter(LifecycleStatesTest::recordsState)
                    .map(FlowNode::getId)
                    .toList();
        }
    }

    private static boolean recordsState(FlowNode node) {
        return node.getExtensionElements() != null
                && node
                        .getExtensionElements()
                        .getElementsQuery()
                        .filterByType(CamundaExecutionListener.class)
                        .list()
                        .stream()
                        .anyMatch(listener -> LISTENER.equals(listener.getCamundaDelegateExpression()));
    }
}
