package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.provider.ProviderSettings;
import io.herald.core.provider.matrix.MatrixConfig;
import io.herald.core.provider.msteams.TeamsConfig;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.provider.slack.SlackConfig;
import io.herald.core.provider.telegram.TelegramConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderConfigTest {

    private static final String TOKEN = "123456:AAH-very-secret-token";
    private static final String HOOK = "https://hooks.slack.com/services/T000/B000/verySecretHookKey";

    @TempDir
    Path dir;

    private static HeraldConfig load(Map<String, String> env) {
        return new ConfigLoader(env).load(Optional.empty());
    }

    private static ConfigException problems(Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class, () -> load(env));
    }

    @Test
    void everyProviderButTheOutboxIsDisabledByDefault() {
        HeraldConfig.ProviderBlocks p = HeraldConfig.defaults().providers();

        assertThat(p.get("outbox").enabled()).isTrue();
        assertThat(p.blocks().values())
                .filteredOn(b -> b != p.get("outbox"))
                .isNotEmpty()
                .noneMatch(ProviderSettings::enabled);
        assertThat(p.of(TelegramConfig.class).baseUrl()).isEqualTo("https://api.telegram.org");
        assertThat(p.of(SendGridConfig.class).baseUrl()).isEqualTo("https://api.sendgrid.com");
    }

    @Test
    void secretsComeFromTheirEnvironmentVariables() {
        HeraldConfig c = load(Map.of(
                "HERALD_PROVIDERS_TELEGRAM_ENABLED",
                "true",
                "HERALD_PROVIDERS_TELEGRAM_BOT_TOKEN",
                TOKEN,
                "HERALD_PROVIDERS_SLACK_ENABLED",
                "true",
                "HERALD_PROVIDERS_SLACK_WEBHOOK_URL",
                HOOK));

        assertThat(c.providers().of(TelegramConfig.class).botToken().reveal()).isEqualTo(TOKEN);
        assertThat(c.providers().of(SlackConfig.class).webhookUrl().reveal()).isEqualTo(HOOK);
    }

    @Test
    void secretsNeverPrintInToStringOrTheYamlDump() throws Exception {
        HeraldConfig c =
                load(Map.of("HERALD_PROVIDERS_TELEGRAM_BOT_TOKEN", TOKEN, "HERALD_PROVIDERS_SLACK_WEBHOOK_URL", HOOK));

        String dump = ConfigLoader.yamlMapper()
                .writeValueAsString(ConfigLoader.yamlMapper().valueToTree(c));

        assertThat(c.toString()).doesNotContain(TOKEN).doesNotContain("verySecretHookKey");
        assertThat(dump)
                .doesNotContain(TOKEN)
                .doesNotContain("verySecretHookKey")
                .containsPattern("botToken: \"?\\(redacted\\)");
        JsonNode tree = ConfigLoader.yamlMapper().valueToTree(HeraldConfig.defaults());
        assertThat(tree.path("providers").path("telegram").path("botToken").asText())
                .isEmpty();
    }

    @Test
    void secretsMayComeFromTheFileToo() throws Exception {
        Path file = Files.writeString(dir.resolve("herald.yaml"), """
                providers:
                  matrix:
                    enabled: true
                    accessToken: syt_file_token
                """);

        HeraldConfig c = new ConfigLoader(Map.of()).load(Optional.of(file));

        assertThat(c.providers().of(MatrixConfig.class).accessToken().reveal()).isEqualTo("syt_file_token");
    }

    @Test
    void enabledProviderWithoutItsSecretIsReportedWithKeyAndVariable() {
        ConfigException e = problems(Map.of("HERALD_PROVIDERS_TELEGRAM_ENABLED", "true"));

        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p)
                        .startsWith("providers.telegram.botToken (HERALD_PROVIDERS_TELEGRAM_BOT_TOKEN): is empty"));
    }

    @Test
    void malformedWebhookUrlIsReportedWithoutQuotingIt() {
        ConfigException e = problems(Map.of(
                "HERALD_PROVIDERS_DISCORD_ENABLED",
                "true",
                "HERALD_PROVIDERS_DISCORD_WEBHOOK_URL",
                "ftp://discord.example/api/webhooks/1/secretPart"));

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("providers.discord.webhookUrl"));
        assertThat(String.join("\n", e.problems())).doesNotContain("secretPart");
    }

    @Test
    void providerTimeoutLongerThanTheSendTimeoutIsReported() {
        ConfigException e = problems(Map.of(
                "HERALD_PROVIDERS_SLACK_ENABLED",
                "true",
                "HERALD_PROVIDERS_SLACK_WEBHOOK_URL",
                HOOK,
                "HERALD_PROVIDERS_SLACK_TIMEOUT",
                "30s"));

        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p)
                        .startsWith("providers.slack.timeout (HERALD_PROVIDERS_SLACK_TIMEOUT): "
                                + "30s is longer than pipeline.sendTimeout"));
    }

    @Test
    void rateLimitAndPeriodAreConfigurable() {
        HeraldConfig c = load(
                Map.of("HERALD_PROVIDERS_MSTEAMS_RATE_LIMIT", "2", "HERALD_PROVIDERS_MSTEAMS_RATE_PERIOD", "500ms"));

        assertThat(c.providers().of(TeamsConfig.class).rateLimit()).isEqualTo(2);
        assertThat(c.providers().of(TeamsConfig.class).ratePeriod()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void unknownSmtpSecurityIsReported() {
        ConfigException e = problems(Map.of("HERALD_PROVIDERS_SMTP_SECURITY", "ssl"));

        assertThat(e.problems())
                .anySatisfy(
                        p -> assertThat(p).contains("providers.smtp.security").contains("starttls, tls, none"));
    }

    @Test
    void missingTemplateFileOfAnEnabledProviderIsReported() {
        ConfigException e = problems(Map.of(
                "HERALD_PROVIDERS_MATTERMOST_ENABLED",
                "true",
                "HERALD_PROVIDERS_MATTERMOST_WEBHOOK_URL",
                "https://chat.example.org/hooks/abc",
                "HERALD_PROVIDERS_MATTERMOST_TEMPLATE",
                dir.resolve("missing.peb").toString()));

        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p)
                        .startsWith("providers.mattermost.template")
                        .contains("not a readable file"));
    }
}
