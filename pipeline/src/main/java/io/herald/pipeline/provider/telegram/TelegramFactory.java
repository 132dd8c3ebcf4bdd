package io.herald.pipeline.provider.telegram;

import io.herald.core.config.ProviderConfig;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.telegram.TelegramDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;

import java.time.Clock;

/** Builds the telegram provider from {@code providers.telegram}. */
public final class TelegramFactory implements ProviderFactory<ProviderConfig.Telegram> {

    @Override
    public ProviderDescriptor<ProviderConfig.Telegram> descriptor() {
        return new TelegramDescriptor();
    }

    @Override
    public Provider build(ProviderConfig.Telegram config, Clock clock) {
        return new TelegramProvider(config, clock);
    }
}
