package io.herald.core.provider.outbox;

import io.herald.core.provider.ProviderSettings;

/**
 * The outbox: email written to files instead of sent, what {@code ./herald local} delivers through.
 *
 * @param enabled whether the pipeline delivers email through it
 * @param weight its share of the email channel among healthy providers (1–1000)
 * @param dir directory it writes one .eml file per email into
 */
public record OutboxConfig(boolean enabled, int weight, String dir) implements ProviderSettings {

    public static OutboxConfig defaults() {
        return new OutboxConfig(true, 1, "outbox");
    }
}
