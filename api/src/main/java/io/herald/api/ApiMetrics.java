package io.herald.api;

import io.herald.core.provider.ProviderRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's meters, named once here. Labels are bounded: routes are templates, keys are their configured ids (never
 * their names, which may say who the tenant is), channels come from the receiver schemes.
 */
final class ApiMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchEntries;
    private final DistributionSummary statusBatchEntries;
    private final Counter unauthenticated;
    private final Counter replays;
    private final Counter statusWriteFailures;

    ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchEntries = DistributionSummary.builder("herald.api.sqs.batch.entries")
                .description("Envelopes per SendMessageBatch call made for API requests")
                .register(registry);
        this.statusBatchEntries = DistributionSummary.builder("herald.api.status.batch.entries")
                .description("Envelopes per status write (recorded as queued) made for API requests")
                .register(registry);
        this.unauthenticated = Counter.builder("herald.api.unauthenticated")
                .description("Requests refused for a missing or unknown API key")
                .register(registry);
        this.replays = Counter.builder("herald.api.idempotent.replays")
                .description("Requests answered from an earlier request with the same Idempotency-Key")
                .register(registry);
        this.statusWriteFailures = Counter.builder("herald.api.status.write.failures")
                .description("Queued messages whose status could not be recorded")
                .register(registry);
        // Every channel Herald has counts from 0, so rate() over them exists before the first message.
        new TreeSet<>(ProviderRegistry.installed().channels()).forEach(this::queuedCounter);
    }

    /** A request timer's labels; bounded, as routes are templates. */
    private record RequestLabels(String method, String route, int status) {}

    /**
     * Building a timer's id (tags sorted, a string per status) for every request showed in the API's profile under
     * load; the few label combinations are looked up here instead.
     */
    private final Map<RequestLabels, Timer> requestTimers = new ConcurrentHashMap<>();

    void request(String method, String route, int status, Duration took) {
        requestTimers
                .computeIfAbsent(
                        new RequestLabels(method, route, status),
                        labels -> Timer.builder("herald.api.requests")
                                .description("HTTP requests by route and status")
                                .tag("method", labels.method())
                                .tag("route", labels.route())
                                .tag("status", Integer.toString(labels.status()))
                                .register(registry))
                .record(took);
    }

    void queued(String channel) {
        queuedCounter(channel).increment();
    }

    private Counter queuedCounter(String channel) {
        return Counter.builder("herald.api.messages.queued")
                .description("Messages SQS accepted, by channel")
                .tag("channel", channel)
                .register(registry);
    }

    void batch(int entries) {
        batchEntries.record(entries);
    }

    void statusBatch(int entries) {
        statusBatchEntries.record(entries);
    }

    /** @param keyId the key's {@code id=} (see {@link Caller#metricsId()}) */
    void rateLimited(String keyId) {
        Counter.builder("herald.api.rate.limited")
                .description("Requests refused by a key's request or message limit")
                .tag("key", keyId)
                .register(registry)
                .increment();
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

    /**
     * One event of a provider's feedback call, by what became of it.
     *
     * @param type the provider's event type, from a fixed list ("other" for the rest)
     * @param outcome recorded, duplicate, ignored or malformed
     */
    void feedbackEvent(String provider, String type, String outcome) {
        Counter.builder("herald.api.feedback.events")
                .description("Feedback events received from providers, by type and what became of them")
                .tag("provider", provider)
                .tag("event", type)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** @param reason unsigned, bad_signature, stale, too_large, not_json or store_unavailable */
    void feedbackRefused(String provider, String reason) {
        Counter.builder("herald.api.feedback.refused")
                .description("Feedback calls refused or not recorded, by reason")
                .tag("provider", provider)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
