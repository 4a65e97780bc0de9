package dev.facteur.processes;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A Discord application's Ed25519 key pair, made up for the tests: the engine trusts its public half. */
public final class TestDiscordKeys {

    private static final KeyPair PAIR = generate();

    private TestDiscordKeys() {}

    /** The raw 32-byte public key in hex, as Discord's developer portal shows it. */
    public static String publicKeyHex() {
        byte[] spki = PAIR.getPublic().getEncoded();
        return HexFormat.of().formatHex(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    /** What Discord sends in X-Signature-Ed25519 for this timestamp and body. */
    public static String sign(String timestamp, byte[] body) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(PAIR.getPrivate());
            signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signer.update(body);
            return HexFormat.of().formatHex(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An interaction as Discord sends it to the webhook: its {@code type} and {@code id}, the application
     * {@code app} with token {@code tok}, the guild member who acted and the interaction's {@code data}.
     */
    public static Map<String, Object> interaction(
            int type, String id, String userId, String username, Map<String, Object> data) {
        return Map.of(
                "type",
                type,
                "id",
                id,
                "application_id",
                "app",
                "token",
                "tok",
                "member",
                Map.of("user", Map.of("id", userId, "username", username)),
                "data",
                data);
    }

    /** The {@code /idea} slash command of user u1 (alice) in guild g1, with its options ({@link #option}). */
    public static Map<String, Object> ideaCommand(String interactionId, List<Map<String, Object>> options) {
        return Map.of(
                "type",
                2,
                "id",
                interactionId,
                "application_id",
                "app",
                "token",
                "tok",
                "channel_id",
                "c1",
                "guild_id",
                "g1",
                "member",
                Map.of("user", Map.of("id", "u1", "username", "alice")),
                "data",
                Map.of("id", "cmd1", "name", "idea", "type", 1, "options", options));
    }

    /** A text option of a slash command. */
    public static Map<String, Object> option(String name, String value) {
        return Map.of("name", name, "type", 3, "value", value);
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
