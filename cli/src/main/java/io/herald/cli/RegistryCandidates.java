package io.herald.cli;

import io.herald.core.provider.ProviderRegistry;
import java.util.Iterator;

/**
 * The installed providers' names and channels as picocli completion candidates, so help texts list them with
 * {@code ${COMPLETION-CANDIDATES}} from the registry instead of naming any provider.
 */
final class RegistryCandidates {

    private RegistryCandidates() {}

    /** Every provider's name, in registration order. */
    static final class ProviderNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ProviderRegistry.installed().names().iterator();
        }
    }

    /** Every channel, in the order its first provider registered. */
    static final class ChannelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ProviderRegistry.installed().channels().iterator();
        }
    }
}
