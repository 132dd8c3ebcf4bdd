package io.herald.core.provider;

/**
 * What every provider's configuration block has, whatever else it holds: whether the pipeline sends through it, and its
 * share of its channel among the channel's healthy providers.
 */
public interface ProviderSettings {

    boolean enabled();

    int weight();
}
