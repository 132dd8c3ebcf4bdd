package io.herald.infra;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.ProviderConfig;
import io.herald.core.config.Secret;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Every secret key of every provider block, found in {@link HeraldConfig.Providers} itself: a
 * provider added to core with a {@link Secret} field gets its Secrets Manager secret and variable
 * without anyone editing this module.
 */
final class ProviderSecrets {

    /**
     * One secret a provider needs.
     *
     * @param provider  the provider block's name, e.g. {@code telegram}
     * @param field     the secret's key in the block, e.g. {@code botToken}
     * @param enabled   whether the configuration enables the provider (only then do tasks read it)
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

    private ProviderSecrets() {
    }

    static List<Entry> of(HeraldConfig.Providers providers) {
        List<Entry> entries = new ArrayList<>();
        for (RecordComponent block : HeraldConfig.Providers.class.getRecordComponents()) {
            Object value = read(block, providers);
            if (!(value instanceof ProviderConfig.Block provider)) {
                continue; // the outbox: local files, no credentials
            }
            for (RecordComponent field : value.getClass().getRecordComponents()) {
                if (field.getType() == Secret.class) {
                    entries.add(new Entry(block.getName(), field.getName(), provider.enabled()));
                }
            }
        }
        return List.copyOf(entries);
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of the configuration", e);
        }
    }
}
