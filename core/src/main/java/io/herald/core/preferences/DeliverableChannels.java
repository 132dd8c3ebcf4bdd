package io.herald.core.preferences;

import io.herald.core.control.ControlStore;
import io.herald.core.control.ProviderHealth;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The channels a receiver in someone's preferences may use: those with a provider enabled in this process's
 * configuration, and those the running pipelines report providers for (the API on AWS runs without the providers'
 * configuration, and an admin's laptop may have another). A receiver on any other channel could never be reached, so
 * saving it is refused.
 */
public final class DeliverableChannels {

    private DeliverableChannels() {}

    /** @param control the pipelines' health reports, or null; when it cannot be read, the configuration alone counts */
    public static Set<String> of(Set<String> configured, ControlStore control) {
        Set<String> channels = new TreeSet<>(configured);
        if (control != null) {
            try {
                control.health().stream().map(ProviderHealth::channel).forEach(channels::add);
            } catch (RuntimeException e) {
                // A stricter check than the pipelines need is the worst that can come of it: the refusal says why.
                return Collections.unmodifiableSet(channels);
            }
        }
        return Collections.unmodifiableSet(channels);
    }
}
