package io.herald.pipeline.provider.slack;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.slack.SlackConfig;
import io.herald.core.provider.slack.SlackDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import java.time.Clock;

/** Builds the slack provider from {@code providers.slack}. */
public final class SlackFactory implements ProviderFactory<SlackConfig> {

    @Override
    public ProviderDescriptor<SlackConfig> descriptor() {
        return new SlackDescriptor();
    }

    @Override
    public Provider build(SlackConfig config, Clock clock) {
        return new SlackProvider(config, clock);
    }
}
