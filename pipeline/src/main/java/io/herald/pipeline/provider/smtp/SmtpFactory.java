package io.herald.pipeline.provider.smtp;

import io.herald.core.config.ProviderConfig;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.smtp.SmtpDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;

import java.time.Clock;

/** Builds the smtp provider from {@code providers.smtp}. */
public final class SmtpFactory implements ProviderFactory<ProviderConfig.Smtp> {

    @Override
    public ProviderDescriptor<ProviderConfig.Smtp> descriptor() {
        return new SmtpDescriptor();
    }

    @Override
    public Provider build(ProviderConfig.Smtp config, Clock clock) {
        return new SmtpProvider(config, null, clock);
    }
}
