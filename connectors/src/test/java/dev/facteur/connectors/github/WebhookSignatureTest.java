package dev.facteur.connectors.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** The example from GitHub's "Validating webhook deliveries" documentation. */
    @Test
    void matchesGitHubsDocumentedExample() {
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        assertThat(WebhookSignature.sign("It's a Secret to Everybody", body)).isEqualTo(expected);
        assertThat(WebhookSignature.verify("It's a Secret to Everybody", body, expected))
                .isTrue();
    }

    @Test
    void refusesAnotherSecretAnotherBodyAMissingPrefixOrNoSecret() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign("s3cret", body);

        assertThat(WebhookSignature.verify("other", body, signature)).isFalse();
        assertThat(WebhookSignature.verify("s3cret", "{ }".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        assertThat(WebhookSignature.verify("s3cret", body, signature.substring("sha256=".length())))
                .isFalse();
        assertThat(WebhookSignature.verify("", body, signature)).isFalse();
        assertThat(WebhookSignature.verify("s3cret", body, null)).isFalse();
    }
}
