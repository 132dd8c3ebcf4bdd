package io.herald.pipeline.provider.smtp;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.smtp.SmtpConfig;
import io.herald.core.provider.smtp.SmtpDescriptor;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import java.time.Clock;

/** Builds the smtp provider from {@code providers.smtp}. */
public final class SmtpFactory implements ProviderFactory<SmtpConfig> {

    @Override
    public ProviderDescriptor<SmtpConfig> descriptor() {
        return new SmtpDescriptor();
    }

    @Override
    public Provider build(SmtpConfig config, Clock clock) {
        return new SmtpProvider(config, null, clock);
    }

    @Override
    public Provider build(SmtpConfig config, Clock clock, int maxConnections, UnsubscribeLinks unsubscribeLinks) {
        return new SmtpProvider(config, null, clock, unsubscribeLinks);
    }
}
