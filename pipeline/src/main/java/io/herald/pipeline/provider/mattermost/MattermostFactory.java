package io.herald.pipeline.provider.mattermost;

import io.herald.core.config.ProviderConfig;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.mattermost.MattermostDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;

import java.time.Clock;

/** Builds the mattermost provider from {@code providers.mattermost}. */
public final class MattermostFactory implements ProviderFactory<ProviderConfig.Mattermost> {

    @Override
    public ProviderDescriptor<ProviderConfig.Mattermost> descriptor() {
        return new MattermostDescriptor();
    }

    @Override
    public Provider build(ProviderConfig.Mattermost config, Clock clock) {
        return new MattermostProvider(config, clock);
    }
}
