package io.herald.pipeline.provider.ses;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ses.SesConfig;
import io.herald.core.provider.ses.SesDescriptor;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.herald.pipeline.provider.FeedbackIntake;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import io.herald.pipeline.provider.ses.feedback.SesFeedbackReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Builds the ses provider from {@code providers.ses}. */
public final class SesFactory implements ProviderFactory<SesConfig> {

    @Override
    public ProviderDescriptor<SesConfig> descriptor() {
        return new SesDescriptor();
    }

    @Override
    public Provider build(SesConfig config, Clock clock) {
        return new SesProvider(config, credentials(config), clock);
    }

    @Override
    public Provider build(SesConfig config, Clock clock, int maxConnections) {
        return new SesProvider(config, credentials(config), clock, maxConnections);
    }

    @Override
    public Provider build(SesConfig config, Clock clock, int maxConnections, UnsubscribeLinks unsubscribeLinks) {
        return new SesProvider(config, credentials(config), clock, maxConnections, unsubscribeLinks);
    }

    /** SES's events through SNS from their own queue, with {@code providers.ses.feedback.queue} set. */
    @Override
    public Optional<FeedbackIntake> feedbackIntake(SesConfig config, FeedbackIntake.Context context) {
        if (!config.feedback().enabled()) {
            return Optional.empty();
        }
        return Optional.of(SesFeedbackReader.open(
                context.sqs(), config.feedback(), context.config(), context.sink(), context.meters()));
    }

    /**
     * A loopback endpoint is a local fake that accepts any signature, so it gets placeholder credentials; AWS itself
     * gets the default chain (environment, profile, ECS task role).
     */
    static AwsCredentialsProvider credentials(SesConfig ses) {
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
            return "localhost".equalsIgnoreCase(host)
                    || InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
