package io.herald.pipeline.provider.telegram;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.telegram.TelegramConfig;
import io.herald.core.provider.telegram.TelegramDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import java.time.Clock;

/** Builds the telegram provider from {@code providers.telegram}. */
public final class TelegramFactory implements ProviderFactory<TelegramConfig> {

    @Override
    public ProviderDescriptor<TelegramConfig> descriptor() {
        return new TelegramDescriptor();
    }

    @Override
    public Provider build(TelegramConfig config, Clock clock) {
        return new TelegramProvider(config, clock);
    }
}
