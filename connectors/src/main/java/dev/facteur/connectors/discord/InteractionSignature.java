package dev.facteur.connectors.discord;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Discord interaction signatures: Ed25519 over {@code X-Signature-Timestamp + raw body}, verified with
 * the application's public key (hex, as the developer portal shows it). Timestamps older or newer
 * than the allowed skew are refused so a captured request cannot be replayed later.
 */
public class InteractionSignature {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final PublicKey publicKey;
    private final Duration maxSkew;
    private final Clock clock;

    public InteractionSignature(String publicKeyHex, Duration maxSkew, Clock clock) {
        this.publicKey = publicKey(publicKeyHex);
        this.maxSkew = maxSkew;
        this.clock = clock;
    }

    public static PublicKey publicKey(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex.trim());
        if (raw.length != 32) {
            throw new IllegalArgumentException("a Discord public key is 32 bytes (64 hex characters)");
        }
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    public Verdict verify(String signatureHex, String timestamp, byte[] body) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verdict.BAD_SIGNATURE;
        }
        // compared as numbers: a timestamp far outside Instant's range (±Long.MAX_VALUE) is stale, not an error
        long now = clock.instant().getEpochSecond();
        if (seconds < now - maxSkew.toSeconds() || seconds > now + maxSkew.toSeconds()) {
            return Verdict.STALE;
        }
        try {
            byte[] signature = HexFormat.of().parseHex(signatureHex.trim());
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
            verifier.update(body);
            return verifier.verify(signature) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Verdict.BAD_SIGNATURE;
        }
    }

    public enum Verdict {
        VALID,
        BAD_SIGNATURE,
        STALE
    }
}
