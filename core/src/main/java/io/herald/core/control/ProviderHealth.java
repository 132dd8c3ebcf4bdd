package io.herald.core.control;

import java.time.Instant;

/**
 * One pipeline instance's view of one provider, with that instance's counters since it started.
 *
 * @param instance the reporting pipeline instance (host and process), so reports from several add up
 * @param lastError the provider's latest failure as the pipeline logged it (providers redact secrets before it gets
 *     here), or null when it has not failed
 * @param unhealthySince when its breaker last opened from healthy, or null while healthy
 */
public record ProviderHealth(
        String instance,
        String channel,
        String provider,
        WorkerState state,
        long delivered,
        long failed,
        long probes,
        Instant updatedAt,
        String lastError,
        Instant unhealthySince) {

    /** A report saying nothing of errors. */
    public ProviderHealth(
            String instance,
            String channel,
            String provider,
            WorkerState state,
            long delivered,
            long failed,
            long probes,
            Instant updatedAt) {
        this(instance, channel, provider, state, delivered, failed, probes, updatedAt, null, null);
    }

    public ProviderHealth withLastError(String error) {
        return new ProviderHealth(
                instance, channel, provider, state, delivered, failed, probes, updatedAt, error, unhealthySince);
    }
}
