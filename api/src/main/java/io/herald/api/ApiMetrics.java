package io.herald.api;

import io.herald.core.provider.ProviderRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.TreeSet;

/**
 * The API's meters, named once here. Labels are bounded: routes are templates, keys are their
 * configured ids (never their names, which may say who the tenant is), channels come from the
 * receiver schemes.
 */
final class ApiMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchEntries;
    private final Counter unauthenticated;
    private final Counter replays;
    private final Counter statusWriteFailures;

    ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchEntries = DistributionSummary.builder("herald.api.sqs.batch.entries")
                .description("Envelopes per SendMessageBatch call made for API requests")
                .register(registry);
        this.unauthenticated = Counter.builder("herald.api.unauthenticated")
                .description("Requests refused for a missing or unknown API key").register(registry);
        this.replays = Counter.builder("herald.api.idempotent.replays")
                .description("Requests answered from an earlier request with the same Idempotency-Key").register(registry);
        this.statusWriteFailures = Counter.builder("herald.api.status.write.failures")
                .description("Queued messages whose status could not be recorded").register(registry);
        // Every channel Herald has counts from 0, so rate() over them exists before the first message.
        new TreeSet<>(ProviderRegistry.installed().channels()).forEach(this::queuedCounter);
    }

    void request(String method, String route, int status, Duration took) {
        Timer.builder("herald.api.requests")
                .description("HTTP requests by route and status")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .register(registry).record(took);
    }

    void queued(String channel) {
        queuedCounter(channel).increment();
    }

    private Counter queuedCounter(String channel) {
        return Counter.builder("herald.api.messages.queued").description("Messages SQS accepted, by channel")
                .tag("channel", channel).register(registry);
    }

    void batch(int entries) {
        batchEntries.record(entries);
    }

    /** @param keyId the key's {@code id=} (see {@link Caller#metricsId()}) */
    void rateLimited(String keyId) {
        Counter.builder("herald.api.rate.limited").description("Requests refused by a key's request or message limit")
                .tag("key", keyId).register(registry).increment();
    }

    void unauthenticated() {
        unauthenticated.increment();
    }

    void idempotentReplay() {
        replays.increment();
    }

    void statusWriteFailed() {
        statusWriteFailures.increment();
    }
}
