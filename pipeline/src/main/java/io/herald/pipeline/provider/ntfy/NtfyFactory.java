package io.herald.pipeline.provider.ntfy;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ntfy.NtfyConfig;
import io.herald.core.provider.ntfy.NtfyDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import java.time.Clock;

/** Builds the ntfy provider from {@code providers.ntfy}. */
public final class NtfyFactory implements ProviderFactory<NtfyConfig> {

    @Override
    public ProviderDescriptor<NtfyConfig> descriptor() {
        return new NtfyDescriptor();
    }

    @Override
    public Provider build(NtfyConfig config, Clock clock) {
        return new NtfyProvider(config, clock);
    }
}
