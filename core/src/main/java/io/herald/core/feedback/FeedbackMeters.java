package io.herald.core.feedback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code herald_feedback_events_total{type, sender_domain}}: each feedback event counted once, by what it was
 * ({@code hard_bounce}, {@code soft_bounce}, {@code complaint}, {@code delivery}, {@code deferral}, {@code dropped})
 * and the domain of the message's sender ({@value #UNKNOWN} when the event's message is not known). Bounce and
 * complaint rates per sender domain are ratios of these counters (see ops/prometheus/herald-alerts.yml): the domain is
 * what mailbox providers judge a sender by, whichever provider carried the mail. Sender domains are the few Herald
 * sends from, so the label stays small; the provider is left out because the same domain's rate is what pages.
 */
public final class FeedbackMeters {

    /** The sender domain of an event whose message Herald does not know. */
    public static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private static final List<String> TYPES =
            List.of("hard_bounce", "soft_bounce", "complaint", "delivery", "deferral", "dropped");

    /** Registers every type at 0 (with {@value #UNKNOWN} sender domain), so the first scrape shows the counter. */
    public FeedbackMeters(MeterRegistry registry) {
        this.registry = registry;
        TYPES.forEach(type -> counter(type, UNKNOWN));
    }

    void counted(FeedbackEvent event, String senderDomain) {
        counter(type(event), domainLabel(senderDomain)).increment();
    }

    /** The {@code sender_domain} label of a sender domain: lower case, {@value #UNKNOWN} when there is none. */
    static String domainLabel(String senderDomain) {
        return senderDomain == null || senderDomain.isBlank()
                ? UNKNOWN
                : senderDomain.strip().toLowerCase(Locale.ROOT);
    }

    private Counter counter(String type, String domain) {
        return counters.computeIfAbsent(
                type + "/" + domain,
                k -> Counter.builder("herald.feedback.events")
                        .tag("type", type)
                        .tag("sender_domain", domain)
                        .description("feedback events from the providers (bounces, complaints, deliveries, ...),"
                                + " each counted once, by the domain of the message's sender")
                        .register(registry));
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
