package io.herald.infra;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Every secret key of every installed provider ({@link ProviderDescriptor#secretKeys()}, its {@link Secret} fields): a
 * provider plug-in gets its Secrets Manager secret and variable without anyone editing this module.
 */
final class ProviderSecrets {

    /**
     * One secret a provider needs.
     *
     * @param provider the provider block's name, e.g. {@code telegram}
     * @param field the secret's key in the block, e.g. {@code botToken}
     * @param enabled whether the configuration enables the provider (only then do tasks read it)
     */
    record Entry(String provider, String field, boolean enabled) {

        /** The configuration key, e.g. {@code providers.telegram.botToken}. */
        String key() {
            return "providers." + provider + "." + field;
        }

        /** The variable Herald reads the key from, e.g. {@code HERALD_PROVIDERS_TELEGRAM_BOT_TOKEN}. */
        String variable() {
            return ConfigLoader.environmentVariable(key());
        }
    }

    private ProviderSecrets() {}

    static List<Entry> of(HeraldConfig.ProviderBlocks providers) {
        List<Entry> entries = new ArrayList<>();
        for (ProviderDescriptor<?> descriptor : ProviderRegistry.installed().all()) {
            boolean enabled = providers.get(descriptor.name()).enabled();
            descriptor.secretKeys().forEach(key -> entries.add(new Entry(descriptor.name(), key, enabled)));
        }
        return List.copyOf(entries);
    }
}
