package dev.facteur.processes.intake.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.connectors.github.IdeaIssueForm;
import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.connectors.text.MarkdownText;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.model.store.DeliveryLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.processes.approval.ApprovalService;
import dev.facteur.processes.approval.Decision;
import dev.facteur.processes.commands.Actor;
import dev.facteur.processes.commands.IdeaCommand;
import dev.facteur.processes.commands.IdeaCommands;
import dev.facteur.processes.commands.IdeaOverrides;
import dev.facteur.processes.intake.IdeaEvents;
import dev.facteur.processes.intake.IdeaStarters;
import dev.facteur.processes.intake.IdeaValidation;
import dev.facteur.processes.intake.IntakeService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What GitHub deliveries do: idea issues become ideas, comment commands steer them. */
@Service
class GitHubIdeas {

    /** The one comment that lists what is wrong with an idea issue; edited in place, never repeated. */
    static final String PROBLEMS_MARKER = "<!-- facteur:idea-problems -->";

    private static final Pattern REPOSITORY = Pattern.compile(IdeaSpec.REPOSITORY_PATTERN);
    /** The one comment telling an author who may not start ideas why nothing started. */
    static final String REFUSED_MARKER = "<!-- facteur:idea-refused -->";

    private final IntakeService intake;
    private final IdeaCommands commands;
    private final IdeaStore ideaStore;
    private final DeliveryLog deliveries;
    private final Outbox outbox;
    private final GitHubIntakeSettings settings;
    private final IdeaValidation validation;
    private final IdeaStarters starters;

    GitHubIdeas(
            IntakeService intake,
            IdeaCommands commands,
            IdeaStore ideaStore,
            DeliveryLog deliveries,
            Outbox outbox,
            GitHubIntakeSettings settings,
            IdeaValidation validation,
            IdeaStarters starters) {
        this.validation = validation;
        this.starters = starters;
        this.intake = intake;
        this.commands = commands;
        this.ideaStore = ideaStore;
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.settings = settings;
    }

    /**
     * An idea issue opened or edited: a valid one from a trusted author is submitted; an invalid one gets one
     * comment listing its problems, one from an author who may not start ideas one comment saying so (audited).
     */
    @Transactional
    public Map<String, Object> submit(JsonNode payload, String delivery) {
        String repository = payload.path("repository").path("full_name").asText();
        JsonNode issue = payload.path("issue");
        long number = issue.path("number").asLong();
        String ideaId = IdeaEvents.githubIdeaId(repository, number);
        if (!REPOSITORY.matcher(repository).matches() || number < 1 || number > IdeaValidation.MAX_ISSUE_NUMBER) {
            // not an issue GitHub could have sent: nothing to comment on
            throw new IdeaValidation.InvalidIdea(List.of("repository.full_name must be a GitHub owner/name and "
                    + "issue.number between 1 and " + IdeaValidation.MAX_ISSUE_NUMBER));
        }
        String author = issue.path("user").path("login").asText("");
        Optional<String> refusal = starters.githubAuthorRefusal(
                author, issue.path("author_association").asText("NONE"));
        if (refusal.isPresent()) {
            if (!deliveries.record("github:" + delivery, "github", null)) {
                return Map.of("duplicate", true, "started", false, "refused", refusal.get());
            }
            outbox.enqueue(OutboxMessage.githubComment(
                    repository,
                    number,
                    REFUSED_MARKER,
                    REFUSED_MARKER + "\n**Facteur did not start this idea.** " + refusal.get() + "."));
            starters.audit(ideaId, "github", "github:" + author, refusal.get());
            return Map.of("duplicate", false, "started", false, "refused", refusal.get());
        }
        IdeaIssueForm.Parsed form = IdeaIssueForm.parse(
                issue.path("title").asText(""), issue.path("body").asText(""), repository);
        IdeaSpec spec = form.valid()
                ? new IdeaSpec(
                        form.title(),
                        form.goal(),
                        form.constraints(),
                        form.successMetrics(),
                        form.priority(),
                        form.riskLabels(),
                        form.repository())
                : null;
        List<String> problems = new ArrayList<>(spec == null ? form.problems() : validation.problems(spec));
        starters.repositoryProblem(repository, form.repository()).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            if (!deliveries.record("github:" + delivery, "github", null)) {
                return Map.of("duplicate", true, "valid", false, "problems", problems);
            }
            outbox.enqueue(OutboxMessage.githubComment(repository, number, PROBLEMS_MARKER, problemsComment(problems)));
            return Map.of("duplicate", false, "valid", false, "problems", problems);
        }
        String sender = payload.path("sender").path("login").asText("");
        IntakeService.Accepted accepted = intake.submit(
                IdeaEvents.of(
                        ideaId,
                        IdeaSource.IDEA_SOURCE_GITHUB,
                        IdeaEvents.githubSourceRef(repository, number),
                        spec,
                        sender,
                        delivery,
                        Instant.now()),
                "github:" + delivery);
        return Map.of(
                "ideaId",
                accepted.ideaId(),
                "duplicate",
                accepted.duplicate(),
                "valid",
                true,
                "status",
                "/api/ideas/" + accepted.ideaId());
    }

    /**
     * {@code /pause}, {@code /resume}, {@code /cancel} from an allowed login; {@code /approve [comment]},
     * {@code /reject reason} and {@code /replan feedback} (changes requested at the plan gate) from a login
     * mapped to a member of {@code approvers} ({@code facteur.approvals.github-logins}). Once per delivery.
     */
    @Transactional
    public Map<String, Object> command(JsonNode payload, String delivery) {
        String text = payload.path("comment").path("body").asText("").strip();
        String login = payload.path("comment")
                .path("user")
                .path("login")
                .asText(payload.path("sender").path("login").asText(""));
        if (!"created".equals(payload.path("action").asText()) || !text.startsWith("/")) {
            return Map.of("ignored", true, "reason", "not a new command comment");
        }
        String command = text.split("\\s+", 2)[0].substring(1).toLowerCase(Locale.ROOT);
        String argument = text.contains(" ") ? text.split("\\s+", 2)[1].strip() : "";
        if (!settings.allowed(login)) {
            return Map.of(
                    "ignored",
                    true,
                    "reason",
                    "login " + login + " may not steer ideas (facteur.github.allowed-logins)");
        }
        String repository = payload.path("repository").path("full_name").asText();
        String ideaId = IdeaEvents.githubIdeaId(
                repository, payload.path("issue").path("number").asLong());
        if (ideaStore.find(ideaId).isEmpty()) {
            return Map.of("ignored", true, "reason", "no idea for this issue");
        }
        if (!deliveries.record("github:" + delivery, "github", ideaId)) {
            return Map.of("ideaId", ideaId, "command", command, "duplicate", true);
        }
        IdeaCommand parsed = parse(command, argument, ideaId, login);
        if (parsed == null) {
            return Map.of("ignored", true, "reason", "unknown command /" + command);
        }
        Map<String, Object> result =
                new LinkedHashMap<>(Map.of("ideaId", ideaId, "command", command, "duplicate", false));
        try {
            commands.run(parsed);
            result.put("done", true);
        } catch (IdeaOverrides.IdeaNotRunning
                | ApprovalService.NoOpenGate
                | ApprovalService.NotAnApprover
                | ApprovalService.InvalidDecision
                | IdeaCommands.Refused e) {
            result.put("done", false);
            result.put("reason", e.getMessage());
        }
        return result;
    }

    /** The comment's command word and its argument (an empty argument is no comment); null for an unknown word. */
    private static IdeaCommand parse(String command, String argument, String ideaId, String login) {
        Actor actor = Actor.github(login);
        String comment = argument.isEmpty() ? null : argument;
        return switch (command) {
            case "pause" -> IdeaCommand.pause(ideaId, actor);
            case "resume" -> IdeaCommand.resume(ideaId, actor);
            case "cancel" -> IdeaCommand.cancel(ideaId, actor);
            case "approve" -> IdeaCommand.decide(Decision.APPROVE, ideaId, actor, comment);
            case "reject" -> IdeaCommand.decide(Decision.REJECT, ideaId, actor, comment);
            case "replan" ->
                IdeaCommand.replan(
                        ideaId, actor, comment == null ? "plan again (asked on GitHub by " + login + ")" : comment);
            default -> null;
        };
    }

    private static String problemsComment(List<String> problems) {
        StringBuilder text = new StringBuilder(PROBLEMS_MARKER)
                .append("\n")
                .append("**Facteur could not start this idea.** Please edit the issue and fix:\n\n");
        problems.stream()
                .limit(50)
                .forEach(problem -> text.append("- ")
                        .append(MarkdownText.literal(problem, 500))
                        .append('\n'));
        return text.toString();
    }
}
