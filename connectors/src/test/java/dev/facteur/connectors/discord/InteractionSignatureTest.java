package dev.facteur.connectors.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class InteractionSignatureTest {

    private final KeyPair keys = generate();
    private final Instant now = Instant.parse("2026-11-25T12:00:00Z");
    private final InteractionSignature verifier =
            new InteractionSignature(rawPublicKey(), Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
    private final byte[] body = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsASignatureOverTimestampAndBody() throws Exception {
        String timestamp = String.valueOf(now.getEpochSecond());
        assertThat(verifier.verify(sign(timestamp, body), timestamp, body))
                .isEqualTo(InteractionSignature.Verdict.VALID);
    }

    @Test
    void refusesATamperedBodyAStaleTimestampAndGarbage() throws Exception {
        String timestamp = String.valueOf(now.getEpochSecond());
        String stale = String.valueOf(now.minusSeconds(301).getEpochSecond());

        assertThat(verifier.verify(sign(timestamp, body), timestamp, "{\"type\":2}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(InteractionSignature.Verdict.BAD_SIGNATURE);
        assertThat(verifier.verify(sign(stale, body), stale, body)).isEqualTo(InteractionSignature.Verdict.STALE);
        assertThat(verifier.verify("not hex", timestamp, body)).isEqualTo(InteractionSignature.Verdict.BAD_SIGNATURE);
        assertThat(verifier.verify(sign(timestamp, body), "yesterday", body))
                .isEqualTo(InteractionSignature.Verdict.BAD_SIGNATURE);
    }

    @Test
    void aTimestampOutsideTheRangeOfInstantIsStaleNotAnError() throws Exception {
        for (String timestamp : new String[] {
            "99999999999999999", String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE), "-99999999999999999"
        }) {
            assertThat(verifier.verify(sign(timestamp, body), timestamp, body))
                    .as(timestamp)
                    .isEqualTo(InteractionSignature.Verdict.STALE);
        }
    }

    private String rawPublicKey() {
        byte[] spki = keys.getPublic().getEncoded();
        return HexFormat.of().formatHex(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    private String sign(String timestamp, byte[] payload) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
        signer.update(payload);
        return HexFormat.of().formatHex(signer.sign());
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
