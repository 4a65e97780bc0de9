package dev.facteur.connectors.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.outbox.OutboxSender;
import java.util.UUID;

/**
 * Sends outbox rows of channel {@code github}, as {@link OutboxMessage#githubComment} and
 * {@link OutboxMessage#githubStatus} build them. A comment with a marker is an upsert (found by its
 * marker and edited), so a retried or replayed row never adds a second comment; a commit status is
 * idempotent on GitHub's side (the latest status per context wins). A comment without a marker gets
 * the outbox id as a hidden marker, which makes it idempotent too.
 */
public class GitHubOutboxSender implements OutboxSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitHubComments comments;

    public GitHubOutboxSender(GitHubComments comments) {
        this.comments = comments;
    }

    @Override
    public String channel() {
        return OutboxMessage.GITHUB;
    }

    @Override
    public void send(UUID id, OutboxMessage message) throws Exception {
        JsonNode payload = JSON.readTree(message.payload());
        String op = payload.path("op").asText();
        String repository = required(payload, "repository");
        switch (op) {
            case "comment" -> {
                String marker = payload.hasNonNull("marker")
                        ? payload.get("marker").asText()
                        : "<!-- facteur:outbox:" + id + " -->";
                comments.upsert(repository, payload.path("issue").asLong(), marker, required(payload, "body"));
            }
            case "status" ->
                comments.status(
                        repository,
                        required(payload, "sha"),
                        required(payload, "state"),
                        required(payload, "context"),
                        payload.path("description").asText(null),
                        payload.path("target_url").asText(null));
            default -> throw new IllegalArgumentException("outbox row " + id + ": unknown github op '" + op + "'");
        }
    }

    private static String required(JsonNode payload, String field) {
        String value = payload.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException("github outbox payload has no '" + field + "'");
        }
        return value;
    }
}
