package dev.facteur.processes.status;

import static dev.facteur.model.idea.LifecycleState.AWAITING_DEPENDENCIES;
import static dev.facteur.model.idea.LifecycleState.CANCELLED;
import static dev.facteur.model.idea.LifecycleState.COMPLETED;
import static dev.facteur.model.idea.LifecycleState.DEPLOYMENT;
import static dev.facteur.model.idea.LifecycleState.IDEA_REGISTERED;
import static dev.facteur.model.idea.LifecycleState.INTEGRATION;
import static dev.facteur.model.idea.LifecycleState.MONITORING;
import static dev.facteur.model.idea.LifecycleState.PLANNING;
import static dev.facteur.model.idea.LifecycleState.PLAN_READY;
import static dev.facteur.model.idea.LifecycleState.QA_REVIEW;
import static dev.facteur.model.idea.LifecycleState.REMEDIATION;
import static dev.facteur.model.idea.LifecycleState.RUNNING_TASKS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.github.IssueRef;
import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.text.MarkdownText;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.idea.Source;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.RunStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Tells people where an idea stands, through the outbox (in the transaction of the state change):
 * for an idea from a GitHub issue, one progress comment (marker {@code <!-- codex:progress -->},
 * edited in place) with the lifecycle as a checklist and links to the latest run and to Cockpit, and a
 * commit status on the integrated commit; on milestone states, a Discord message.
 */
@Component
public class ProgressReporter {

    public static final String MARKER = "<!-- codex:progress -->";
    public static final String STATUS_CONTEXT = "facteur/lifecycle";
    private static final List<LifecycleState> CHECKLIST = List.of(
            IDEA_REGISTERED,
            PLANNING,
            PLAN_READY,
            AWAITING_DEPENDENCIES,
            RUNNING_TASKS,
            QA_REVIEW,
            INTEGRATION,
            DEPLOYMENT,
            MONITORING,
            COMPLETED);
    /** Off the happy path: listed only once reached. */
    private static final List<LifecycleState> DETOURS = List.of(REMEDIATION, CANCELLED);

    private final Outbox outbox;
    private final EventLog events;
    private final RunStore runs;
    private final StatusSettings settings;
    private final ObjectMapper mapper;

    ProgressReporter(Outbox outbox, EventLog events, RunStore runs, StatusSettings settings, ObjectMapper mapper) {
        this.outbox = outbox;
        this.events = events;
        this.runs = runs;
        this.settings = settings;
        this.mapper = mapper;
    }

    /** Called once per state the idea enters (after it is recorded in the event log). */
    public void stateChanged(Idea idea, LifecycleState state) {
        githubIssue(idea).filter(issue -> settings.githubProgress()).ifPresent(issue -> {
            outbox.enqueue(OutboxMessage.githubComment(issue.repository(), issue.number(), MARKER, body(idea, state)));
            mergeSha(idea)
                    .flatMap(sha -> commitState(state)
                            .map(commitState -> OutboxMessage.githubStatus(
                                    issue.repository(),
                                    sha,
                                    commitState,
                                    STATUS_CONTEXT,
                                    "Facteur: " + state.displayName(),
                                    ideaUrl(idea))))
                    .ifPresent(outbox::enqueue);
        });
        if (!settings.discordWebhook().isBlank() && settings.announces(state)) {
            outbox.enqueue(OutboxMessage.discord(
                    settings.discordWebhook(),
                    "Idea **" + MarkdownText.literal(idea.title(), 300) + "** (" + idea.id() + ") reached **"
                            + state.displayName() + "** — " + ideaUrl(idea)));
        }
    }

    String body(Idea idea, LifecycleState current) {
        // by display name: the audit events of state.changed carry it, older ones as much as new ones
        Set<String> reached = new LinkedHashSet<>();
        for (EventLog.Event event : events.list(idea.id())) {
            if ("state.changed".equals(event.type())) {
                reached.add(read(event.payload()).path("state").asText());
            }
        }
        reached.add(current.displayName());
        StringBuilder body = new StringBuilder(MARKER)
                .append('\n')
                .append("### Facteur progress: ")
                .append(MarkdownText.literal(idea.title(), 300))
                .append("\n\n");
        for (LifecycleState state : CHECKLIST) {
            body.append("- [")
                    .append(reached.contains(state.displayName()) ? 'x' : ' ')
                    .append("] ")
                    .append(state.displayName())
                    .append(state == current ? " ← current" : "")
                    .append('\n');
        }
        for (LifecycleState detour : DETOURS) {
            if (reached.contains(detour.displayName())) {
                body.append("- [x] ")
                        .append(detour.displayName())
                        .append(detour == current ? " ← current" : "")
                        .append('\n');
            }
        }
        body.append('\n')
                .append("Status: [")
                .append(idea.id())
                .append("](")
                .append(ideaUrl(idea))
                .append(')');
        List<RunStore.Run> ideaRuns = runs.list(idea.id());
        if (!ideaRuns.isEmpty()) {
            RunStore.Run last = ideaRuns.get(ideaRuns.size() - 1);
            body.append(" · latest run: `")
                    .append(last.workflowName())
                    .append("` (")
                    .append(last.stage())
                    .append(", ")
                    .append(last.status())
                    .append(')');
        }
        if (idea.processInstanceId() != null) {
            body.append(" · [Cockpit](")
                    .append(settings.publicUrl())
                    .append("/camunda/app/cockpit/default/#/process-instance/")
                    .append(idea.processInstanceId())
                    .append(')');
        }
        return body.append('\n').toString();
    }

    private String ideaUrl(Idea idea) {
        return settings.publicUrl() + "/api/ideas/" + idea.id();
    }

    /** The commit integration merged, once there is one. */
    private Optional<String> mergeSha(Idea idea) {
        return runs.list(idea.id()).stream()
                .filter(run -> "integration".equals(run.stage()))
                .filter(run -> RunStore.SUCCEEDED.equals(run.status()) && run.resultJson() != null)
                .map(run ->
                        read(run.resultJson()).path("outputs").path("mergeSha").asText(""))
                .filter(sha -> !sha.isBlank())
                .reduce((first, second) -> second);
    }

    private static Optional<String> commitState(LifecycleState state) {
        return switch (state) {
            case DEPLOYMENT, MONITORING -> Optional.of("pending");
            case COMPLETED -> Optional.of("success");
            case REMEDIATION -> Optional.of("failure");
            case CANCELLED -> Optional.of("error");
            default -> Optional.empty();
        };
    }

    /** The GitHub issue an idea came from, if it came from one. */
    public static Optional<IssueRef> githubIssue(Idea idea) {
        return idea.source() == Source.GITHUB ? IssueRef.parse(idea.sourceRef()) : Optional.empty();
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }
}
