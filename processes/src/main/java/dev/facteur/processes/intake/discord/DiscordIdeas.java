package dev.facteur.processes.intake.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.connectors.llm.IdeaSummariser;
import dev.facteur.connectors.llm.OfflineIdeaExtractor;
import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.connectors.text.MarkdownText;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.model.settings.GitHubApiSettings;
import dev.facteur.processes.approval.ApprovalService;
import dev.facteur.processes.approval.Decision;
import dev.facteur.processes.commands.Actor;
import dev.facteur.processes.commands.IdeaCommand;
import dev.facteur.processes.commands.IdeaCommands;
import dev.facteur.processes.intake.IdeaEvents;
import dev.facteur.processes.intake.IdeaStarters;
import dev.facteur.processes.intake.IdeaValidation;
import dev.facteur.processes.intake.IntakeService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;

/**
 * The {@code /idea} slash command: fields as options ({@code title}, {@code goal}, {@code constraints},
 * {@code success_metrics} — several separated by ";" or new lines — {@code priority}, {@code repository},
 * {@code risk_labels}) or one free-form {@code text} the configured summariser turns into fields. Without a
 * {@code repository} option the configured default is used ({@link IdeaRepository}). Missing fields are named
 * in the ephemeral answer and nothing starts.
 */
@Service
class DiscordIdeas {

    private static final int EPHEMERAL = 64;
    private static final IdeaSummariser.Summary NOTHING = new IdeaSummariser.Summary("", "", List.of(), List.of());
    private static final OfflineIdeaExtractor OFFLINE = new OfflineIdeaExtractor();

    private final IntakeService intake;
    private final IdeaSummariser summariser;
    private final IdeaValidation validation;
    private final DiscordSettings settings;
    private final IdeaCommands commands;
    private final GitHubApiSettings github;
    private final DiscordFollowUp followUp;
    private final IdeaStarters starters;

    DiscordIdeas(
            IntakeService intake,
            IdeaSummariser summariser,
            IdeaValidation validation,
            DiscordSettings settings,
            IdeaCommands commands,
            GitHubApiSettings github,
            DiscordFollowUp followUp,
            IdeaStarters starters) {
        this.followUp = followUp;
        this.starters = starters;
        this.commands = commands;
        this.github = github;
        this.intake = intake;
        this.summariser = summariser;
        this.validation = validation;
        this.settings = settings;
    }

    Map<String, Object> command(JsonNode interaction) {
        String name = interaction.path("data").path("name").asText();
        if (!"idea".equals(name)) {
            return ephemeral("Unknown command /" + name + ".");
        }
        Map<String, String> options = new HashMap<>();
        interaction
                .path("data")
                .path("options")
                .forEach(option -> options.put(
                        option.path("name").asText(), option.path("value").asText("")));
        return answer(interaction, options);
    }

    /**
     * The {@code /idea} modal submitted ({@code custom_id} "idea"): its text inputs, named like the command's
     * options, are taken as the command's options.
     */
    Map<String, Object> modal(JsonNode interaction) {
        if (!"idea".equals(interaction.path("data").path("custom_id").asText())) {
            return ephemeral("Unknown form.");
        }
        Map<String, String> options = new HashMap<>();
        interaction
                .path("data")
                .path("components")
                .forEach(row -> row.path("components")
                        .forEach(input -> options.put(
                                input.path("custom_id").asText(),
                                input.path("value").asText(""))));
        return answer(interaction, options);
    }

    /**
     * {@code /idea} autocomplete: choices for the option being typed. Only {@code repository} has any: the
     * repositories Facteur knows (the default and facteur.github.repositories) that contain what was typed.
     */
    Map<String, Object> autocomplete(JsonNode interaction) {
        List<Map<String, String>> choices = new ArrayList<>();
        interaction.path("data").path("options").forEach(option -> {
            if (option.path("focused").asBoolean()
                    && "repository".equals(option.path("name").asText())) {
                String typed = option.path("value").asText("").toLowerCase(java.util.Locale.ROOT);
                java.util.LinkedHashSet<String> known = new java.util.LinkedHashSet<>();
                if (settings.defaultRepository() != null
                        && !settings.defaultRepository().isBlank()) {
                    known.add(settings.defaultRepository());
                }
                known.addAll(github.repositories());
                known.stream()
                        .filter(r -> r.toLowerCase(java.util.Locale.ROOT).contains(typed))
                        .limit(25)
                        .forEach(r -> choices.add(Map.of("name", r, "value", r)));
            }
        });
        return Map.of("type", 8, "data", Map.of("choices", choices));
    }

    /**
     * Free text needs the summariser: unless it is the offline extractor (instant), Discord gets a deferred
     * answer (type 5) at once and the outcome follows as an edit of it; a summariser that fails or outlasts
     * facteur.discord.summary-timeout is replaced by the offline extractor, and the answer says so.
     */
    private Map<String, Object> answer(JsonNode interaction, Map<String, String> options) {
        JsonNode who = user(interaction);
        List<String> roles = new ArrayList<>();
        interaction.path("member").path("roles").forEach(role -> roles.add(role.asText()));
        var refusal = starters.discordUserRefusal(who.path("id").asText(), roles);
        if (refusal.isPresent()) {
            starters.audit(
                    IdeaEvents.discordIdeaId(interaction.path("id").asText()),
                    "discord",
                    "discord:" + who.path("username").asText(who.path("id").asText()),
                    refusal.get());
            return ephemeral("Facteur did not start this idea: " + refusal.get() + ".");
        }
        String text = options.getOrDefault("text", "");
        if (text.isBlank() || summariser instanceof OfflineIdeaExtractor) {
            return submit(interaction, options, text.isBlank() ? NOTHING : summariser.summarise(text), "");
        }
        followUp.later(interaction, () -> {
            try {
                IdeaSummariser.Summary summary =
                        followUp.within(settings.summaryTimeout(), () -> summariser.summarise(text));
                return submit(interaction, options, summary, "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException | TimeoutException e) {
                String why = e instanceof TimeoutException
                        ? "did not answer within " + settings.summaryTimeout()
                        : "failed (" + e.getCause().getMessage() + ")";
                return submit(
                        interaction,
                        options,
                        OFFLINE.summarise(text),
                        "The summariser " + why + ": fields read by the offline extractor.\n");
            }
        });
        return Map.of("type", 5, "data", Map.of("flags", EPHEMERAL));
    }

    private Map<String, Object> submit(
            JsonNode interaction, Map<String, String> options, IdeaSummariser.Summary summary, String note) {
        Optional<String> repository =
                IdeaRepository.choose(options.get("repository"), settings.defaultRepository(), github.repositories());
        if (repository.isEmpty()) {
            return ephemeral(note + IdeaRepository.MISSING);
        }
        IdeaSpec spec = spec(options, repository.get(), summary);
        List<String> problems = validation.problems(spec);
        if (!problems.isEmpty()) {
            return ephemeral(note + "Facteur could not start this idea:\n- "
                    + String.join(
                            "\n- ",
                            problems.stream()
                                    .limit(20)
                                    .map(problem -> MarkdownText.literal(problem, 300))
                                    .toList()));
        }
        JsonNode user = user(interaction);
        String interactionId = interaction.path("id").asText();
        if (interactionId.isBlank()) {
            throw new dev.facteur.processes.intake.IntakeRejected("interaction without id");
        }
        String ideaId = IdeaEvents.discordIdeaId(interactionId);
        IntakeService.Accepted accepted = intake.submit(
                IdeaEvents.of(
                        ideaId,
                        IdeaSource.IDEA_SOURCE_DISCORD,
                        interactionId,
                        spec,
                        "discord:"
                                + user.path("username").asText(user.path("id").asText()),
                        "discord-" + interactionId,
                        Instant.now()),
                "discord:" + interactionId);
        String status = settings.publicUrl().toString().replaceAll("/+$", "") + "/api/ideas/" + accepted.ideaId();
        return ephemeral(note + (accepted.duplicate() ? "Already received: " : "Idea accepted: ") + "`"
                + accepted.ideaId() + "` — " + MarkdownText.literal(spec.title(), 300) + "\nStatus: " + status);
    }

    /**
     * A gate button ({@code custom_id} {@code approve:<ideaId>} or {@code reject:<ideaId>}): decides the idea's
     * open gate as the Camunda user the Discord user is mapped to ({@code facteur.approvals.discord-users}).
     */
    Map<String, Object> button(JsonNode interaction) {
        String[] action = interaction.path("data").path("custom_id").asText().split(":", 2);
        JsonNode user = user(interaction);
        if (action.length != 2 || !List.of("approve", "reject").contains(action[0])) {
            return ephemeral("Unknown button.");
        }
        Decision decision = action[0].equals("approve") ? Decision.APPROVE : Decision.REJECT;
        try {
            commands.run(IdeaCommand.decide(
                    decision,
                    action[1],
                    Actor.discord(user.path("id").asText()),
                    decision == Decision.REJECT
                            ? "rejected on Discord by " + user.path("username").asText()
                            : null));
            return ephemeral((decision == Decision.APPROVE ? "Approved" : "Rejected") + " `" + action[1] + "`.");
        } catch (IdeaCommands.Refused e) {
            return ephemeral(e.getMessage());
        } catch (ApprovalService.NoOpenGate | ApprovalService.NotAnApprover | ApprovalService.InvalidDecision e) {
            return ephemeral("Not done: " + e.getMessage());
        }
    }

    private IdeaSpec spec(Map<String, String> options, String repository, IdeaSummariser.Summary summary) {
        return new IdeaSpec(
                first(options.get("title"), summary.title()),
                first(options.get("goal"), summary.goal()),
                list(options.get("constraints"), summary.constraints()),
                list(options.get("success_metrics"), summary.successMetrics()),
                blankToNull(options.get("priority")),
                list(options.get("risk_labels"), List.of()),
                repository);
    }

    private static String first(String option, String fallback) {
        return option == null || option.isBlank() ? fallback : option.strip();
    }

    private static List<String> list(String option, List<String> fallback) {
        if (option == null || option.isBlank()) {
            return fallback;
        }
        return new ArrayList<>(Arrays.stream(option.split("[;\\n]"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** Who interacted: {@code member.user} in a guild, {@code user} in a direct message. */
    private static JsonNode user(JsonNode interaction) {
        JsonNode member = interaction.path("member").path("user");
        return member.isMissingNode() ? interaction.path("user") : member;
    }

    static Map<String, Object> ephemeral(String content) {
        return Map.of("type", 4, "data", Map.of("content", content, "flags", EPHEMERAL));
    }
}
