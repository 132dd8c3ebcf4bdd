package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.provider.smtp.SmtpConfig;
import io.herald.core.provider.telegram.TelegramConfig;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void secretIsMaskedWhereverItAppears() {
        Redactor r = Redactor.of(Secret.of("tok-123"));

        assertThat(r.redact("a tok-123 b tok-123")).isEqualTo("a (redacted) b (redacted)");
    }

    @Test
    void webhookPathAndLongSegmentsAreMaskedOnTheirOwn() {
        Redactor r = Redactor.of(Secret.of("https://discord.com/api/webhooks/123/aVeryLongWebhookToken"));

        assertThat(r.redact("POST /api/webhooks/123/aVeryLongWebhookToken failed"))
                .doesNotContain("aVeryLongWebhookToken");
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

    @Test
    void urlEncodedJsonEscapedHtmlEscapedAndBase64FormsAreMaskedToo() {
        Redactor r = Redactor.of(Secret.of("123456:AAH-tok/en+x&y"));

        assertThat(r.redact("a 123456%3AAAH-tok%2Fen%2Bx%26y b")).isEqualTo("a (redacted) b");
        assertThat(r.redact("a 123456%3aAAH-tok%2fen%2bx%26y b")).isEqualTo("a (redacted) b");
        assertThat(r.redact("a 123456%253AAAH-tok%252Fen%252Bx%2526y b")).isEqualTo("a (redacted) b");
        assertThat(r.redact("a 123456:AAH-tok\\/en+x\\u0026y b")).isEqualTo("a (redacted) b");
        assertThat(r.redact("a 123456:AAH-tok/en+x&amp;y b")).isEqualTo("a (redacted) b");
        String base64 = java.util.Base64.getEncoder().encodeToString("123456:AAH-tok/en+x&y".getBytes());
        assertThat(r.redact("a " + base64 + " b")).isEqualTo("a (redacted) b");
    }

    @Test
    void loginIsMaskedInItsSmtpAuthAndBasicAuthForms() {
        Redactor r = Redactor.ofLogin("herald", Secret.of("s3cret-pass"));
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();

        assertThat(r.redact("535 " + b64.encodeToString("\0herald\0s3cret-pass".getBytes())))
                .isEqualTo("535 (redacted)");
        assertThat(r.redact("Basic " + b64.encodeToString("herald:s3cret-pass".getBytes())))
                .isEqualTo("Basic (redacted)");
        assertThat(r.redact("334 " + b64.encodeToString("s3cret-pass".getBytes())))
                .isEqualTo("334 (redacted)");
    }

    @Test
    void forProvidersMasksEveryConfiguredProvidersSecrets() {
        HeraldConfig.ProviderBlocks d = HeraldConfig.defaults().providers();
        TelegramConfig t = d.of(TelegramConfig.class);
        SmtpConfig m = d.of(SmtpConfig.class);
        HeraldConfig.ProviderBlocks providers = d.with(new SmtpConfig(
                        m.enabled(),
                        m.weight(),
                        m.timeout(),
                        m.rateLimit(),
                        m.ratePeriod(),
                        m.template(),
                        m.host(),
                        m.port(),
                        m.security(),
                        "herald",
                        Secret.of("smtp-pass-123"),
                        m.from()))
                .with(new TelegramConfig(
                        t.enabled(),
                        t.weight(),
                        t.timeout(),
                        t.rateLimit(),
                        t.ratePeriod(),
                        t.template(),
                        t.baseUrl(),
                        Secret.of("123456:AAH-tok"),
                        t.chatInterval()));

        Redactor r = Redactor.forProviders(providers);

        assertThat(r.redact("a 123456%3AAAH-tok b")).isEqualTo("a (redacted) b");
        assertThat(r.redact("pw smtp-pass-123")).isEqualTo("pw (redacted)");
        String plain = java.util.Base64.getEncoder().encodeToString("\0herald\0smtp-pass-123".getBytes());
        assertThat(r.redact("535 " + plain)).isEqualTo("535 (redacted)");
    }
}
