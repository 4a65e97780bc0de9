package dev.facteur.processes.approval;

import dev.facteur.model.idea.PlainText;
import dev.facteur.model.process.IdeaLifecycle.Element;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.process.Var;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.camunda.bpm.engine.BadUserRequestException;

/**
 * The person tasks of {@code idea-lifecycle} that are not approval gates: what their forms may submit. A decision
 * outside the form's choices, a missing one (the gateway after the task cannot read it) or a note that is not plain
 * text of at most {@link ApprovalGates#MAX_COMMENT_CHARS} would make the engine fail the completion, which
 * {@code /engine-rest} answers with a 500; {@link GateCompletionGuard} asks {@link #check} first and answers 400.
 */
enum PersonTasks {
    RESOLVE_INTEGRATION(
            Element.UserTask_ResolveIntegration, ProcessVariables.INTEGRATION_DECISION, "rework", "retry", "abort"),
    REVIEW_INCONCLUSIVE_ANALYSIS(
            Element.UserTask_ReviewInconclusiveAnalysis, ProcessVariables.REMEDIATION_DECISION, "approve", "abort"),
    APPROVE_REMEDIATION(Element.UserTask_ApproveRemediation, ProcessVariables.REMEDIATION_DECISION, "approve", "abort");

    private final Element task;
    private final Var<String> decision;
    private final List<String> choices;

    PersonTasks(Element task, Var<String> decision, String... choices) {
        this.task = task;
        this.decision = decision;
        this.choices = List.of(choices);
    }

    static Optional<PersonTasks> ofTask(String taskDefinitionKey) {
        return Arrays.stream(values())
                .filter(t -> t.task.name().equals(taskDefinitionKey))
                .findFirst();
    }

    /**
     * Throws {@link BadUserRequestException} naming the field when the completion would leave the task's variables
     * ({@code variables}: name → value) unusable.
     */
    void check(Function<String, Object> variables) {
        Object chosen = variables.apply(decision.name());
        if (chosen == null || !choices.contains(chosen.toString())) {
            throw new BadUserRequestException(
                    decision.name() + " must be one of " + choices + (chosen == null ? " (it is missing)" : ""));
        }
        Object note = variables.apply(ProcessVariables.DECISION_NOTE.name());
        String problem =
                PlainText.Check.problem(note == null ? null : note.toString(), true, ApprovalGates.MAX_COMMENT_CHARS);
        if (problem != null) {
            throw new BadUserRequestException(ProcessVariables.DECISION_NOTE.name() + " " + problem);
        }
    }
}
