package io.herald.core.control;

import java.time.Instant;

/**
 * One pipeline instance's view of one provider, with that instance's counters since it started.
 *
 * @param instance  the reporting pipeline instance (host and process), so reports from several add up
 */
public record ProviderHealth(String instance, String channel, String provider, WorkerState state,
                             long delivered, long failed, long probes, Instant updatedAt) {
}
