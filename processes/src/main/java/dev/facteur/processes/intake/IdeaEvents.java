package dev.facteur.processes.intake;

import com.google.protobuf.Timestamp;
import dev.facteur.connectors.github.IssueRef;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import dev.facteur.connectors.proto.intake.v1.IdeaPriority;
import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.idea.Source;
import dev.facteur.model.stage.WorkflowNames;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** Building and reading {@link IdeaEvent}s; the one place that knows how each entrance names its ideas. */
public final class IdeaEvents {

    private IdeaEvents() {}

    /** A fresh id for an idea with no natural key (REST). */
    public static String newIdeaId() {
        return "idea-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The idea of a GitHub issue: the same for every delivery about it (opened, edited, CodexTask stages). */
    public static String githubIdeaId(String repository, long issueNumber) {
        return "idea-"
                + WorkflowNames.sha256("github:" + repository.toLowerCase(Locale.ROOT) + "#" + issueNumber)
                        .substring(0, 12);
    }

    public static String githubSourceRef(String repository, long issueNumber) {
        return new IssueRef(repository, issueNumber).toString();
    }

    public static String discordIdeaId(String interactionId) {
        return "idea-" + WorkflowNames.sha256("discord:" + interactionId).substring(0, 12);
    }

    public static IdeaEvent of(
            String ideaId,
            IdeaSource source,
            String sourceRef,
            IdeaSpec spec,
            String initiator,
            String deliveryId,
            Instant receivedAt) {
        Instant now = Instant.now();
        return IdeaEvent.newBuilder()
                .setIdeaId(ideaId)
                .setSource(source)
                .setSourceRef(sourceRef)
                .setTitle(spec.title())
                .setGoal(spec.goal())
                .addAllConstraints(spec.constraints())
                .addAllSuccessMetrics(spec.successMetrics())
                .setPriority(priority(spec.priority()))
                .addAllRiskLabels(spec.riskLabels())
                .setRepository(spec.repository())
                .setInitiator(initiator == null ? "" : initiator)
                .setDeliveryId(deliveryId)
                .setReceivedAt(timestamp(receivedAt))
                .setPublishedAt(timestamp(now))
                .build();
    }

    public static IdeaSpec spec(IdeaEvent event) {
        return new IdeaSpec(
                event.getTitle(),
                event.getGoal(),
                event.getConstraintsList(),
                event.getSuccessMetricsList(),
                priority(event.getPriority()).value(),
                event.getRiskLabelsList(),
                event.getRepository());
    }

    /** The entrance an event came through, as {@code ideas.source_type} keeps it: CodexTask ideas live on GitHub. */
    public static Source source(IdeaSource source) {
        return switch (source) {
            case IDEA_SOURCE_GITHUB, IDEA_SOURCE_CODEX_TASK -> Source.GITHUB;
            case IDEA_SOURCE_DISCORD -> Source.DISCORD;
            default -> Source.API;
        };
    }

    /** The spec's priority on the wire; an unset one is normal (medium). */
    static IdeaPriority priority(String priority) {
        return switch (Priority.parse(priority).orElse(Priority.MEDIUM)) {
            case LOW -> IdeaPriority.IDEA_PRIORITY_LOW;
            case MEDIUM -> IdeaPriority.IDEA_PRIORITY_NORMAL;
            case HIGH -> IdeaPriority.IDEA_PRIORITY_HIGH;
            case CRITICAL -> IdeaPriority.IDEA_PRIORITY_CRITICAL;
        };
    }

    /** The priority an event carries; normal, unset or unknown ones are medium. */
    public static Priority priority(IdeaPriority priority) {
        return switch (priority) {
            case IDEA_PRIORITY_LOW -> Priority.LOW;
            case IDEA_PRIORITY_HIGH -> Priority.HIGH;
            case IDEA_PRIORITY_CRITICAL -> Priority.CRITICAL;
            default -> Priority.MEDIUM;
        };
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }
}
