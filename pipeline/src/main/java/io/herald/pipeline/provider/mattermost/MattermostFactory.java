package io.herald.pipeline.provider.mattermost;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.mattermost.MattermostConfig;
import io.herald.core.provider.mattermost.MattermostDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import java.time.Clock;

/** Builds the mattermost provider from {@code providers.mattermost}. */
public final class MattermostFactory implements ProviderFactory<MattermostConfig> {

    @Override
    public ProviderDescriptor<MattermostConfig> descriptor() {
        return new MattermostDescriptor();
    }

    @Override
    public Provider build(MattermostConfig config, Clock clock) {
        return new MattermostProvider(config, clock);
    }
}
