package io.herald.pipeline.provider.sendgrid;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.provider.sendgrid.SendGridDescriptor;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import java.time.Clock;

/** Builds the sendgrid provider from {@code providers.sendgrid}. */
public final class SendGridFactory implements ProviderFactory<SendGridConfig> {

    @Override
    public ProviderDescriptor<SendGridConfig> descriptor() {
        return new SendGridDescriptor();
    }

    @Override
    public Provider build(SendGridConfig config, Clock clock) {
        return new SendGridProvider(config, clock);
    }

    @Override
    public Provider build(SendGridConfig config, Clock clock, int maxConnections) {
        return new SendGridProvider(config, clock, maxConnections);
    }

    @Override
    public Provider build(SendGridConfig config, Clock clock, int maxConnections, UnsubscribeLinks unsubscribeLinks) {
        return new SendGridProvider(config, clock, maxConnections, unsubscribeLinks);
    }
}
