package io.herald.pipeline.provider;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.ProviderConfig;
import io.herald.pipeline.provider.discord.DiscordProvider;
import io.herald.pipeline.provider.email.EmailMessages;
import io.herald.pipeline.provider.matrix.MatrixProvider;
import io.herald.pipeline.provider.mattermost.MattermostProvider;
import io.herald.pipeline.provider.msteams.TeamsProvider;
import io.herald.pipeline.provider.outbox.OutboxProvider;
import io.herald.pipeline.provider.sendgrid.SendGridProvider;
import io.herald.pipeline.provider.ses.SesProvider;
import io.herald.pipeline.provider.slack.SlackProvider;
import io.herald.pipeline.provider.smtp.SmtpProvider;
import io.herald.pipeline.provider.telegram.TelegramProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Builds the enabled providers from configuration: the one place that knows every provider
 * package. Adding a provider adds its package, its config block and one line here.
 */
public final class Providers {

    private static final Logger log = LoggerFactory.getLogger(Providers.class);

    private Providers() {
    }

    public static List<ConfiguredProvider> fromConfig(HeraldConfig config) {
        return fromConfig(config, Clock.systemUTC());
    }

    /**
     * @throws IllegalArgumentException when an enabled provider cannot be built (e.g. its template
     *                                  does not compile); providers built so far are closed
     */
    public static List<ConfiguredProvider> fromConfig(HeraldConfig config, Clock clock) {
        HeraldConfig.Providers p = config.providers();
        // A provider's HTTP pool holds as many connections as the pipeline makes sends through it at once.
        int connections = config.pipeline().maxInFlightPerWorker();
        List<ConfiguredProvider> enabled = new ArrayList<>();
        try {
            if (p.outbox().enabled()) {
                enabled.add(new ConfiguredProvider(new OutboxProvider(Path.of(p.outbox().dir()).toAbsolutePath(),
                        new EmailMessages(OutboxProvider.DEFAULT_FROM, Optional.empty())), p.outbox().weight()));
            }
            ProviderConfig.Ses ses = p.ses();
            if (ses.enabled()) {
                enabled.add(new ConfiguredProvider(new SesProvider(ses, sesCredentials(ses), clock, connections),
                        ses.weight()));
            }
            if (p.sendgrid().enabled()) {
                enabled.add(new ConfiguredProvider(new SendGridProvider(p.sendgrid(), clock, connections),
                        p.sendgrid().weight()));
            }
            if (p.smtp().enabled()) {
                enabled.add(new ConfiguredProvider(new SmtpProvider(p.smtp(), null, clock), p.smtp().weight()));
            }
            if (p.msteams().enabled()) {
                enabled.add(new ConfiguredProvider(new TeamsProvider(p.msteams(), clock), p.msteams().weight()));
            }
            if (p.telegram().enabled()) {
                enabled.add(new ConfiguredProvider(new TelegramProvider(p.telegram(), clock), p.telegram().weight()));
            }
            if (p.slack().enabled()) {
                enabled.add(new ConfiguredProvider(new SlackProvider(p.slack(), clock), p.slack().weight()));
            }
            if (p.mattermost().enabled()) {
                enabled.add(new ConfiguredProvider(new MattermostProvider(p.mattermost(), clock), p.mattermost().weight()));
            }
            if (p.discord().enabled()) {
                enabled.add(new ConfiguredProvider(new DiscordProvider(p.discord(), clock), p.discord().weight()));
            }
            if (p.matrix().enabled()) {
                enabled.add(new ConfiguredProvider(new MatrixProvider(p.matrix(), clock), p.matrix().weight()));
            }
        } catch (RuntimeException e) {
            closeAll(enabled.stream().map(ConfiguredProvider::provider).toList());
            throw e;
        }
        return List.copyOf(enabled);
    }

    /** Closes the providers that hold resources (HTTP clients, SDK clients); never throws. */
    public static void closeAll(Collection<? extends Provider> providers) {
        for (Provider provider : providers) {
            if (provider instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing provider {} failed: {}", provider.name(), e.getClass().getSimpleName());
                }
            }
        }
    }

    /**
     * A loopback endpoint is a local fake that accepts any signature, so it gets placeholder
     * credentials; AWS itself gets the default chain (environment, profile, ECS task role).
     */
    static AwsCredentialsProvider sesCredentials(ProviderConfig.Ses ses) {
        String endpoint = ses.endpoint().strip();
        if (!endpoint.isEmpty() && isLoopback(URI.create(endpoint).getHost())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("herald-local", "herald-local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            return "localhost".equalsIgnoreCase(host) || InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
