package io.herald.core.feedback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code herald_feedback_events_total{type, sender_domain, source}}: each feedback event counted once, by what it was
 * ({@code hard_bounce}, {@code soft_bounce}, {@code complaint}, {@code delivery}, {@code deferral}, {@code dropped}),
 * the domain of the message's sender ({@value #UNKNOWN} when the event's message is not known) and the provider. Bounce
 * and complaint rates per sender domain are ratios of these counters (see ops/prometheus/herald-alerts.yml); sender
 * domains are the few Herald sends from, so the label stays small.
 */
public final class FeedbackMeters {

    /** The sender domain of an event whose message Herald does not know. */
    public static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public FeedbackMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void counted(FeedbackEvent event, String senderDomain) {
        String type = type(event);
        String domain = senderDomain == null || senderDomain.isBlank()
                ? UNKNOWN
                : senderDomain.strip().toLowerCase(Locale.ROOT);
        counters.computeIfAbsent(
                        type + "/" + domain + "/" + event.source(),
                        k -> Counter.builder("herald.feedback.events")
                                .tag("type", type)
                                .tag("sender_domain", domain)
                                .tag("source", event.source())
                                .description(
                                        "feedback events from the providers (bounces, complaints, deliveries, ...),"
                                                + " each counted once, by the domain of the message's sender")
                                .register(registry))
                .increment();
    }

    /** The {@code type} label of an event. */
    static String type(FeedbackEvent event) {
        return switch (event) {
            case FeedbackEvent.Bounce b -> b.permanent() ? "hard_bounce" : "soft_bounce";
            case FeedbackEvent.Complaint c -> "complaint";
            case FeedbackEvent.Delivery d -> "delivery";
            case FeedbackEvent.Deferral d -> "deferral";
            case FeedbackEvent.Dropped d -> "dropped";
        };
    }
}
