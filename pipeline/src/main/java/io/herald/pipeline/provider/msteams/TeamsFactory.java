package io.herald.pipeline.provider.msteams;

import io.herald.core.config.ProviderConfig;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.msteams.TeamsDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;

import java.time.Clock;

/** Builds the msteams provider from {@code providers.msteams}. */
public final class TeamsFactory implements ProviderFactory<ProviderConfig.Msteams> {

    @Override
    public ProviderDescriptor<ProviderConfig.Msteams> descriptor() {
        return new TeamsDescriptor();
    }

    @Override
    public Provider build(ProviderConfig.Msteams config, Clock clock) {
        return new TeamsProvider(config, clock);
    }
}
