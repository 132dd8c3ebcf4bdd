package io.herald.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.HeraldConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerEnvironmentTest {

    private static HeraldConfig deployment() {
        return DeploymentConfig.load(Optional.of(Path.of(SynthesizedTemplates.resource("herald-deploy-test.yaml"))));
    }

    @Test
    void passesChangedKeysAndTheStacksNamesButNotUnchangedDefaults() {
        ContainerEnvironment env = new ContainerEnvironment(
                deployment(), "REGION", Map.of("providers.ses.configurationSet", "config-set"));
        assertThat(env.pipeline())
                .containsEntry("HERALD_SQS_MAX_RECEIVE_COUNT", "7")
                .containsEntry("HERALD_SQS_VISIBILITY_TIMEOUT", "90s")
                .containsEntry("HERALD_PROVIDERS_SES_ENABLED", "true")
                .containsEntry("HERALD_PROVIDERS_SES_REGION", "REGION")
                .containsEntry("HERALD_PROVIDERS_SES_CONFIGURATION_SET", "config-set")
                .containsEntry("HERALD_PROVIDERS_OUTBOX_ENABLED", "false")
                .doesNotContainKey("HERALD_PIPELINE_MAX_IN_FLIGHT")
                .doesNotContainKey("HERALD_API_KEYS");
        assertThat(env.api())
                .containsEntry(
                        "HERALD_API_KEYS",
                        "name=ci sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 "
                                + "senders=example.org rate=60/m")
                .containsEntry("HERALD_API_PORT", "8080")
                .containsEntry("HERALD_STATUS_REGION", "REGION")
                .allSatisfy((name, value) -> assertThat(name).doesNotStartWith("HERALD_PROVIDERS_"));
    }

    @Test
    void neverPassesCredentialsAsPlainVariables() {
        ContainerEnvironment env = new ContainerEnvironment(deployment(), "REGION", Map.of());
        ProviderSecrets.of(deployment().providers())
                .forEach(secret -> assertThat(env.pipeline()).doesNotContainKey(secret.variable()));
        assertThat(env.pipeline().values()).doesNotContain(DeploymentConfig.PLACEHOLDER);
    }

    @Test
    void passesTheCallbacksSettingsToBothServicesOnlyWhenTheStackDeploysCallbacks() {
        HeraldConfig.Callbacks defaults = HeraldConfig.Callbacks.defaults();
        HeraldConfig config = deployment()
                .withCallbacks(new HeraldConfig.Callbacks(
                        defaults.secret(),
                        "status-posts",
                        false,
                        defaults.retrySchedule(),
                        java.time.Duration.ofSeconds(10),
                        java.util.List.of()));
        ContainerEnvironment on = new ContainerEnvironment(config, "REGION", Map.of(), true);
        for (Map<String, String> env : java.util.List.of(on.api(), on.pipeline())) {
            assertThat(env)
                    .containsEntry("HERALD_CALLBACKS_QUEUE", "status-posts")
                    .containsEntry("HERALD_CALLBACKS_TIMEOUT", "10s")
                    .doesNotContainKey("HERALD_CALLBACKS_SECRET");
        }
        ContainerEnvironment off = new ContainerEnvironment(config, "REGION", Map.of(), false);
        for (Map<String, String> env : java.util.List.of(off.api(), off.pipeline())) {
            assertThat(env.keySet()).noneMatch(name -> name.startsWith("HERALD_CALLBACKS_"));
        }
    }

    @Test
    void refusesAnApiThatWouldNotStart() {
        assertThatThrownBy(() -> new ContainerEnvironment(HeraldConfig.defaults(), "REGION", Map.of()))
                .hasMessageContaining("api.keys is empty");
    }

    @Test
    void refusesACredentialWrittenIntoTheFile() {
        assertThatThrownBy(() -> DeploymentConfig.load(
                        Optional.of(Path.of(SynthesizedTemplates.resource("herald-with-secret.yaml")))))
                .hasMessageContaining(
                        "providers.telegram.botToken, api.selfService.linkSecret, callbacks.secret must not be"
                                + " in the file")
                .hasMessageNotContaining("do-not-commit-me")
                .hasMessageNotContaining("whsec_");
    }

    @Test
    void findsOneSecretPerProviderCredentialNamedAsHeraldReadsIt() {
        assertThat(ProviderSecrets.of(HeraldConfig.defaults().providers()).stream()
                        .map(ProviderSecrets.Entry::variable))
                .containsExactlyInAnyOrder(
                        "HERALD_PROVIDERS_SENDGRID_API_KEY",
                        "HERALD_PROVIDERS_SMTP_PASSWORD",
                        "HERALD_PROVIDERS_MSTEAMS_WEBHOOK_URL",
                        "HERALD_PROVIDERS_TELEGRAM_BOT_TOKEN",
                        "HERALD_PROVIDERS_SLACK_WEBHOOK_URL",
                        "HERALD_PROVIDERS_MATTERMOST_WEBHOOK_URL",
                        "HERALD_PROVIDERS_DISCORD_WEBHOOK_URL",
                        "HERALD_PROVIDERS_MATRIX_ACCESS_TOKEN",
                        "HERALD_PROVIDERS_NTFY_ACCESS_TOKEN",
                        "HERALD_PROVIDERS_NTFY_PASSWORD");
    }
}
