package io.herald.pipeline.provider.discord;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.discord.DiscordConfig;
import io.herald.core.provider.discord.DiscordDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import java.time.Clock;

/** Builds the discord provider from {@code providers.discord}. */
public final class DiscordFactory implements ProviderFactory<DiscordConfig> {

    @Override
    public ProviderDescriptor<DiscordConfig> descriptor() {
        return new DiscordDescriptor();
    }

    @Override
    public Provider build(DiscordConfig config, Clock clock) {
        return new DiscordProvider(config, clock);
    }
}
