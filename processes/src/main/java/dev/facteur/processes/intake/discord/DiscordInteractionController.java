package dev.facteur.processes.intake.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.discord.InteractionSignature;
import dev.facteur.processes.intake.InboundRequest;
import dev.facteur.processes.intake.IntakeRejected;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/discord}, the application's Interactions Endpoint URL. Every request is checked
 * against {@code X-Signature-Ed25519} over {@code X-Signature-Timestamp + body} (stale timestamps refused);
 * PING answers PONG; the {@code /idea} slash command submits an idea and answers ephemerally; the buttons
 * {@code approve:<ideaId>} / {@code reject:<ideaId>} decide the idea's open approval gate.
 */
@RestController
@EnableConfigurationProperties(DiscordSettings.class)
class DiscordInteractionController {

    static final int PING = 1;
    static final int APPLICATION_COMMAND = 2;
    static final int MESSAGE_COMPONENT = 3;
    static final int APPLICATION_COMMAND_AUTOCOMPLETE = 4;
    static final int MODAL_SUBMIT = 5;

    private final DiscordSettings settings;
    private final DiscordIdeas ideas;
    private final ObjectMapper mapper;
    private final Clock clock;

    DiscordInteractionController(DiscordSettings settings, DiscordIdeas ideas, ObjectMapper mapper) {
        this.settings = settings;
        this.ideas = ideas;
        this.mapper = mapper;
        this.clock = Clock.systemUTC();
    }

    @PostMapping("/webhooks/discord")
    Map<String, Object> interact(HttpServletRequest request) throws IOException {
        byte[] body = InboundRequest.body(request);
        String signature = request.getHeader("X-Signature-Ed25519");
        String timestamp = request.getHeader("X-Signature-Timestamp");
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            throw new InboundRequest.MissingHeader("X-Signature-Ed25519 and X-Signature-Timestamp");
        }
        if (settings.publicKey() == null || settings.publicKey().isBlank()) {
            throw new InboundRequest.Unauthenticated(
                    "no Discord public key is configured (facteur.discord.public-key)");
        }
        switch (new InteractionSignature(settings.publicKey(), settings.maxClockSkew(), clock)
                .verify(signature, timestamp, body)) {
            case STALE ->
                throw new InboundRequest.Unauthenticated(
                        "X-Signature-Timestamp is outside the allowed " + settings.maxClockSkew() + " window");
            case BAD_SIGNATURE -> throw new InboundRequest.Unauthenticated("invalid request signature");
            case VALID -> {}
        }
        JsonNode interaction = mapper.readTree(body);
        if (interaction == null || !interaction.isObject()) {
            throw new IntakeRejected("the body is not a JSON interaction");
        }
        return switch (interaction.path("type").asInt()) {
            case PING -> Map.of("type", 1);
            case APPLICATION_COMMAND -> ideas.command(interaction);
            case MESSAGE_COMPONENT -> ideas.button(interaction);
            case APPLICATION_COMMAND_AUTOCOMPLETE -> ideas.autocomplete(interaction);
            case MODAL_SUBMIT -> ideas.modal(interaction);
            default -> DiscordIdeas.ephemeral("This interaction type is not supported.");
        };
    }
}
