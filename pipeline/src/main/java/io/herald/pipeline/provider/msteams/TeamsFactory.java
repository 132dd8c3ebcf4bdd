package io.herald.pipeline.provider.msteams;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.msteams.TeamsConfig;
import io.herald.core.provider.msteams.TeamsDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import java.time.Clock;

/** Builds the msteams provider from {@code providers.msteams}. */
public final class TeamsFactory implements ProviderFactory<TeamsConfig> {

    @Override
    public ProviderDescriptor<TeamsConfig> descriptor() {
        return new TeamsDescriptor();
    }

    @Override
    public Provider build(TeamsConfig config, Clock clock) {
        return new TeamsProvider(config, clock);
    }
}
