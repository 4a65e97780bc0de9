package dev.facteur.processes.intake.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.github.IdeaIssueForm;
import dev.facteur.connectors.github.WebhookSignature;
import dev.facteur.processes.intake.InboundRequest;
import dev.facteur.processes.intake.IntakeRejected;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/github}: signed deliveries only ({@code X-Hub-Signature-256}). {@code ping} is answered;
 * {@code issues} opened/edited/reopened from the idea template become ideas; {@code issue_comment} commands
 * steer them; everything else is acknowledged and ignored (202) so GitHub does not mark the hook failing.
 */
@RestController
@EnableConfigurationProperties(GitHubIntakeSettings.class)
class GitHubWebhookController {

    private static final List<String> IDEA_ACTIONS = List.of("opened", "edited", "reopened");

    private final GitHubIntakeSettings settings;
    private final GitHubIdeas ideas;
    private final ObjectMapper mapper;

    GitHubWebhookController(GitHubIntakeSettings settings, GitHubIdeas ideas, ObjectMapper mapper) {
        this.settings = settings;
        this.ideas = ideas;
        this.mapper = mapper;
    }

    @PostMapping("/webhooks/github")
    ResponseEntity<Map<String, Object>> receive(HttpServletRequest request) throws IOException {
        byte[] body = InboundRequest.body(request);
        String signature = request.getHeader("X-Hub-Signature-256");
        if (signature == null || signature.isBlank()) {
            throw new InboundRequest.Unauthenticated("missing X-Hub-Signature-256");
        }
        if (settings.webhookSecret() == null || settings.webhookSecret().isBlank()) {
            throw new InboundRequest.Unauthenticated("no webhook secret is configured (facteur.github.webhook-secret)");
        }
        if (!WebhookSignature.verify(settings.webhookSecret(), body, signature)) {
            throw new InboundRequest.Unauthenticated("X-Hub-Signature-256 does not match the body");
        }
        String event = InboundRequest.requireHeader(request, "X-GitHub-Event");
        String delivery = InboundRequest.requireHeader(request, "X-GitHub-Delivery");
        JsonNode payload = mapper.readTree(body);
        if (payload == null || !payload.isObject()) {
            throw new IntakeRejected("the body is not a JSON object");
        }
        return switch (event) {
            case "ping" ->
                ResponseEntity.ok(
                        Map.of("pong", true, "zen", payload.path("zen").asText("")));
            case "issues" -> issue(payload, delivery);
            case "issue_comment" -> ResponseEntity.accepted().body(ideas.command(payload, delivery));
            default -> ignored("event " + event + " is not handled");
        };
    }

    private ResponseEntity<Map<String, Object>> issue(JsonNode payload, String delivery) {
        String action = payload.path("action").asText();
        JsonNode issue = payload.path("issue");
        if (!IDEA_ACTIONS.contains(action)) {
            return ignored("issues." + action + " is not handled");
        }
        if (issue.isMissingNode() || !payload.path("repository").hasNonNull("full_name")) {
            throw new IntakeRejected("issues event without issue or repository.full_name");
        }
        List<String> labels = new ArrayList<>();
        issue.path("labels").forEach(label -> labels.add(label.path("name").asText()));
        if (!IdeaIssueForm.isIdea(labels, issue.path("body").asText(""))) {
            return ignored(
                    "issue #" + issue.path("number").asLong() + " is not an idea (no 'idea' label or Goal section)");
        }
        return ResponseEntity.accepted().body(ideas.submit(payload, delivery));
    }

    private static ResponseEntity<Map<String, Object>> ignored(String reason) {
        return ResponseEntity.accepted().body(Map.of("ignored", true, "reason", reason));
    }
}
