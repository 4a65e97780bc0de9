package dev.facteur.processes.intake;

import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.model.idea.PlainText;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The one validation of every entrance: an {@link IdeaSpec}'s constraints, plus the few fields an entrance adds
 * around it (ids, references, who sent it). {@link IntakeService} requires it of every idea it records or starts,
 * so no entrance can skip it; GitHub, Discord and CodexTask ask {@link #problems} first to answer in their own way.
 */
@Component
public class IdeaValidation {

    /** Ids, delivery ids, source references and initiators: at most this long, plain text. */
    public static final int MAX_REFERENCE = 300;
    /** GitHub issue numbers are positive 32-bit integers. */
    public static final long MAX_ISSUE_NUMBER = Integer.MAX_VALUE;

    private final Validator validator;

    IdeaValidation(Validator validator) {
        this.validator = validator;
    }

    /** Every problem of the spec, each as "field message", in a stable order; empty when it is valid. */
    public List<String> problems(IdeaSpec spec) {
        return validator.validate(spec).stream()
                .map(v -> v.getPropertyPath() + " " + v.getMessage())
                .sorted()
                .toList();
    }

    /** Refuses (422) an event whose spec or references are invalid, naming every wrong field. */
    public void require(IdeaEvent event) {
        List<String> problems = new ArrayList<>(problems(IdeaEvents.spec(event)));
        reference(problems, "idea_id", event.getIdeaId());
        reference(problems, "delivery_id", event.getDeliveryId());
        reference(problems, "source_ref", event.getSourceRef());
        reference(problems, "initiator", event.getInitiator());
        if (!problems.isEmpty()) {
            throw new InvalidIdea(problems);
        }
    }

    /** Adds "field problem" when a reference (id, delivery, ref, login) is not plain text of at most 300. */
    public static void reference(List<String> problems, String field, String value) {
        String problem = PlainText.Check.problem(value, false, MAX_REFERENCE);
        if (problem != null) {
            problems.add(field + " " + problem);
        }
    }

    /** An idea that breaks the input limits: never retried, answered 422 naming every field. */
    public static class InvalidIdea extends IntakeRejected {

        private final List<String> problems;

        public InvalidIdea(List<String> problems) {
            super("invalid Idea Spec: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }

        @Override
        public String details() {
            return String.join("; ", problems);
        }
    }
}
