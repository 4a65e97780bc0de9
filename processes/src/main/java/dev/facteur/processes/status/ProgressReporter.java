package dev.facteur.processes.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.github.IssueRef;
import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore.Idea;
import dev.facteur.model.store.RunStore;
import dev.facteur.connectors.text.MarkdownText;
import dev.facteur.model.process.IdeaLifecycle.State;
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
    private static final List<State> CHECKLIST = List.of(State.IdeaRegistered, State.Planning, State.PlanReady,
            State.AwaitingDependencies, State.RunningTasks, State.QAReview, State.Integration, State.Deployment,
            State.Monitoring, State.Completed);

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
    public void stateChanged(Idea idea, String state) {
        githubIssue(idea).filter(issue -> settings.githubProgress()).ifPresent(issue -> {
            outbox.enqueue(OutboxMessage.githubComment(issue.repository(), issue.number(), MARKER,
                    body(idea, state)));
            mergeSha(idea).flatMap(sha -> commitState(state).map(commitState -> OutboxMessage.githubStatus(
                    issue.repository(), sha, commitState, STATUS_CONTEXT, "Facteur: " + state, ideaUrl(idea))))
                    .ifPresent(outbox::enqueue);
        });
        if (!settings.discordWebhook().isBlank() && settings.milestones().contains(state)) {
            outbox.enqueue(OutboxMessage.discord(settings.discordWebhook(),
                    "Idea **" + MarkdownText.literal(idea.title(), 300) + "** (" + idea.id() + ") reached **" + state + "** — " + ideaUrl(idea)));
        }
    }

    String body(Idea idea, String current) {
        Set<String> reached = new LinkedHashSet<>();
        for (EventLog.Event event : events.list(idea.id())) {
            if ("state.changed".equals(event.type())) {
                reached.add(read(event.payload()).path("state").asText());
            }
        }
        reached.add(current);
        StringBuilder body = new StringBuilder(MARKER).append('\n')
                .append("### Facteur progress: ").append(MarkdownText.literal(idea.title(), 300)).append("\n\n");
        for (State state : CHECKLIST) {
            body.append("- [").append(reached.contains(state.name()) ? 'x' : ' ').append("] ").append(state.name())
                    .append(state.name().equals(current) ? " ← current" : "").append('\n');
        }
        for (String extra : List.of(State.Remediation.name(), State.Cancelled.name())) {
            if (reached.contains(extra)) {
                body.append("- [x] ").append(extra).append(extra.equals(current) ? " ← current" : "").append('\n');
            }
        }
        body.append('\n').append("Status: [").append(idea.id()).append("](").append(ideaUrl(idea)).append(')');
        List<RunStore.Run> ideaRuns = runs.list(idea.id());
        if (!ideaRuns.isEmpty()) {
            RunStore.Run last = ideaRuns.get(ideaRuns.size() - 1);
            body.append(" · latest run: `").append(last.workflowName()).append("` (").append(last.stage())
                    .append(", ").append(last.status()).append(')');
        }
        if (idea.processInstanceId() != null) {
            body.append(" · [Cockpit](").append(settings.publicUrl())
                    .append("/camunda/app/cockpit/default/#/process-instance/").append(idea.processInstanceId())
                    .append(')');
        }
        return body.append('\n').toString();
    }

    private String ideaUrl(Idea idea) {
        return settings.publicUrl() + "/api/ideas/" + idea.id();
    }

    /** The commit integration merged, once there is one. */
    private Optional<String> mergeSha(Idea idea) {
        return runs.list(idea.id()).stream().filter(run -> "integration".equals(run.stage()))
                .filter(run -> RunStore.SUCCEEDED.equals(run.status()) && run.resultJson() != null)
                .map(run -> read(run.resultJson()).path("outputs").path("mergeSha").asText(""))
                .filter(sha -> !sha.isBlank()).reduce((first, second) -> second);
    }

    private static Optional<String> commitState(String state) {
        return switch (state) {
            case "Deployment", "Monitoring" -> Optional.of("pending");
            case "Completed" -> Optional.of("success");
            case "Remediation" -> Optional.of("failure");
            case "Cancelled" -> Optional.of("error");
            default -> Optional.empty();
        };
    }

    /** The GitHub issue an idea came from, if it came from one. */
    public static Optional<IssueRef> githubIssue(Idea idea) {
        return "github".equals(idea.sourceType()) ? IssueRef.parse(idea.sourceRef()) : Optional.empty();
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }

}
