package dev.facteur.processes;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;

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

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
