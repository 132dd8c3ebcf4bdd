package io.herald.pipeline.provider;

import java.util.Objects;

/**
 * A provider as the configuration enabled it: the provider and its share of its channel's messages among the channel's
 * healthy providers.
 */
public record ConfiguredProvider(Provider provider, int weight) {

    public ConfiguredProvider {
        Objects.requireNonNull(provider, "provider");
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, got " + weight);
        }
    }
}
