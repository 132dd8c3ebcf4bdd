package io.herald.pipeline.provider;

import io.herald.core.config.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    @Test
    void secretIsMaskedWhereverItAppears() {
        Redactor r = Redactor.of(Secret.of("tok-123"));

        assertThat(r.redact("a tok-123 b tok-123")).isEqualTo("a (redacted) b (redacted)");
    }

    @Test
    void webhookPathAndLongSegmentsAreMaskedOnTheirOwn() {
        Redactor r = Redactor.of(Secret.of("https://discord.com/api/webhooks/123/aVeryLongWebhookToken"));

        assertThat(r.redact("POST /api/webhooks/123/aVeryLongWebhookToken failed")).doesNotContain("aVeryLongWebhookToken");
        assertThat(r.redact("token aVeryLongWebhookToken")).isEqualTo("token (redacted)");
        assertThat(r.redact("see https://discord.com/developers")).isEqualTo("see https://discord.com/developers");
    }

    @Test
    void briefFlattensAndCuts() {
        assertThat(Redactor.of().brief("a\n  b\tc " + "x".repeat(50), 10)).isEqualTo("a b c xxxx…");
    }

    @Test
    void unsetSecretsMaskNothing() {
        assertThat(Redactor.of(Secret.none()).redact("anything")).isEqualTo("anything");
    }
}
