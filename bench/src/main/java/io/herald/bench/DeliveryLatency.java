package io.herald.bench;

import io.herald.core.envelope.Envelope;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Wraps a provider and records, for each delivered envelope, the time from its creation (when
 * the producer enqueued it) to the provider's answer: enqueue-to-delivery latency.
 */
final class DeliveryLatency implements Provider {

    private final Provider inner;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Duration> latencies = new ConcurrentLinkedQueue<>();

    DeliveryLatency(Provider inner, Clock clock) {
        this.inner = inner;
        this.clock = clock;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String channel() {
        return inner.channel();
    }

    @Override
    public Outcome send(Envelope envelope) {
        Outcome outcome = inner.send(envelope);
        if (outcome instanceof Outcome.Delivered) {
            latencies.add(Duration.between(envelope.createdAt(), clock.instant()));
        }
        return outcome;
    }

    int delivered() {
        return latencies.size();
    }

    /** The given percentile (0–100) of the latencies recorded, in milliseconds; NaN before any. */
    double percentileMillis(double percentile) {
        return Percentile.of(latencies.stream().map(d -> d.toNanos() / 1e6).toList(), percentile / 100.0);
    }
}
