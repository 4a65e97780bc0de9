package dev.facteur.processes.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.github.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** GitHub webhook deliveries as GitHub sends them: payload shape, headers, HMAC signature. */
final class GitHubWebhooks {

    static final String SECRET = "test-webhook-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GitHubWebhooks() {}

    /** The body GitHub renders from .github/ISSUE_TEMPLATE/idea.yml, no risk label ticked. */
    static String ideaBody(String goal, String constraints, String metrics, String priority) {
        return riskyIdeaBody(goal, constraints, metrics, priority).replace("- [X] security", "- [ ] security");
    }

    /** The same with the "security" risk label ticked (the test policy asks for plan approval). */
    static String riskyIdeaBody(String goal, String constraints, String metrics, String priority) {
        return """
                ### Goal

                %s

                ### Constraints

                %s

                ### Success metrics

                %s

                ### Priority

                %s

                ### Risk labels

                - [ ] high-risk
                - [X] security
                - [ ] secrets
                - [ ] auth

                ### Repository

                _No response_""".formatted(goal, constraints, metrics, priority);
    }

    static byte[] issues(
            String action, String repository, long number, String title, String body, List<String> labels) {
        return issues(action, repository, number, title, body, labels, "octocat", "OWNER");
    }

    /** An issue by {@code author}, whose relation to the repository GitHub states as {@code association}. */
    static byte[] issues(
            String action,
            String repository,
            long number,
            String title,
            String body,
            List<String> labels,
            String author,
            String association) {
        Map<String, Object> payload = Map.of(
                "action", action,
                "issue",
                        Map.of(
                                "number",
                                number,
                                "title",
                                title,
                                "body",
                                body,
                                "html_url",
                                "https://github.com/" + repository + "/issues/" + number,
                                "labels",
                                labels.stream()
                                        .map(name -> Map.of("name", name))
                                        .toList(),
                                "user",
                                Map.of("login", author),
                                "author_association",
                                association),
                "repository", Map.of("full_name", repository, "name", repository.split("/")[1]),
                "sender", Map.of("login", author, "type", "User"));
        return bytes(payload);
    }

    static byte[] comment(String repository, long number, String login, String text) {
        return bytes(Map.of(
                "action",
                "created",
                "issue",
                Map.of("number", number, "title", "t", "labels", List.of()),
                "comment",
                Map.of("id", 1, "body", text, "user", Map.of("login", login)),
                "repository",
                Map.of("full_name", repository),
                "sender",
                Map.of("login", login)));
    }

    static HttpEntity<byte[]> delivery(String event, String deliveryId, byte[] body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set("X-GitHub-Event", event);
        headers.set("X-GitHub-Delivery", deliveryId);
        headers.set("X-GitHub-Hook-ID", "42");
        headers.set("User-Agent", "GitHub-Hookshot/test");
        headers.set("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body));
        return new HttpEntity<>(body, headers);
    }

    static String newDeliveryId() {
        return UUID.randomUUID().toString();
    }

    private static byte[] bytes(Object payload) {
        try {
            return JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
