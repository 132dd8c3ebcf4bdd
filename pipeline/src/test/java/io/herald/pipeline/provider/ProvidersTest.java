package io.herald.pipeline.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderSettings;
import io.herald.core.provider.discord.DiscordConfig;
import io.herald.core.provider.matrix.MatrixConfig;
import io.herald.core.provider.mattermost.MattermostConfig;
import io.herald.core.provider.msteams.TeamsConfig;
import io.herald.core.provider.outbox.OutboxConfig;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.provider.ses.SesConfig;
import io.herald.core.provider.slack.SlackConfig;
import io.herald.core.provider.smtp.SmtpConfig;
import io.herald.core.provider.telegram.TelegramConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersTest {

    @TempDir
    Path dir;

    private static final Duration T = Duration.ofSeconds(5);
    private static final Duration S = Duration.ofSeconds(1);

    private HeraldConfig everyProviderEnabled(String template) {
        HeraldConfig d = HeraldConfig.defaults();
        HeraldConfig.ProviderBlocks p = d.providers();
        for (ProviderSettings block : List.of(
                new OutboxConfig(true, 2, dir.toString()),
                new SesConfig(
                        true,
                        3,
                        T,
                        1,
                        S,
                        "",
                        "eu-west-1",
                        "http://127.0.0.1:1",
                        "h@example.org",
                        "",
                        SesConfig.Feedback.defaults()),
                new SendGridConfig(
                        true,
                        1,
                        T,
                        1,
                        S,
                        "",
                        "http://127.0.0.1:1",
                        Secret.of("SG.x"),
                        "h@example.org",
                        SendGridConfig.EventWebhook.defaults()),
                new SmtpConfig(true, 1, T, 1, S, "", "127.0.0.1", 1, "starttls", "", Secret.none(), "h@example.org"),
                new TeamsConfig(true, 1, T, 4, S, "", Secret.of("http://127.0.0.1:1/teams")),
                new TelegramConfig(true, 1, T, 30, S, template, "http://127.0.0.1:1", Secret.of("1:x"), S),
                new SlackConfig(true, 1, T, 1, S, "", Secret.of("http://127.0.0.1:1/slack")),
                new MattermostConfig(true, 1, T, 10, S, "", Secret.of("http://127.0.0.1:1/mm")),
                new DiscordConfig(true, 1, T, 5, S, "", Secret.of("http://127.0.0.1:1/discord")),
                new MatrixConfig(true, 1, T, 10, S, "", "http://127.0.0.1:1", Secret.of("syt_x")))) {
            p = p.with(block);
        }
        return d.withProviders(p);
    }

    @Test
    void defaultsBuildOnlyTheOutbox() {
        List<ConfiguredProvider> built = Providers.fromConfig(HeraldConfig.defaults());

        assertThat(built).extracting(c -> c.provider().name()).containsExactly("outbox");
    }

    @Test
    void everyEnabledProviderIsBuiltWithItsChannelAndWeight() {
        List<ConfiguredProvider> built = Providers.fromConfig(everyProviderEnabled(""), Clock.systemUTC());
        try {
            assertThat(built)
                    .extracting(c -> c.provider().name() + "/" + c.provider().channel() + "/" + c.weight())
                    .containsExactly(
                            "outbox/email/2",
                            "ses/email/3",
                            "sendgrid/email/1",
                            "smtp/email/1",
                            "msteams/msteams/1",
                            "telegram/telegram/1",
                            "slack/slack/1",
                            "mattermost/mattermost/1",
                            "discord/discord/1",
                            "matrix/matrix/1");
        } finally {
            Providers.closeAll(built.stream().map(ConfiguredProvider::provider).toList());
        }
    }

    @Test
    void templateThatDoesNotExistStopsTheBuildNamingTheFile() {
        assertThatThrownBy(() -> Providers.fromConfig(
                        everyProviderEnabled(dir.resolve("gone.peb").toString()), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gone.peb");
    }
}
