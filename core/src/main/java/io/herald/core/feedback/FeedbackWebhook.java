package io.herald.core.feedback;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A provider's feedback webhook: how the API tells a genuine call from the provider apart from anything else, and how
 * its body becomes {@link FeedbackEvent}s. Offered by the provider's descriptor
 * ({@link io.herald.core.provider.ProviderDescriptor#feedbackWebhook}) and served by one generic route, {@code POST
 * /v1/feedback/{provider}}, which does the rest alike for every provider: the body limit, de-duplication by event id,
 * recording into the {@link FeedbackSink}, 503 when the store fails, and the metrics.
 */
public interface FeedbackWebhook {

    /**
     * Whether the provider's settings switch the intake on; when off, calls are answered 503 with {@link #offReason()}.
     */
    boolean enabled();

    /** What to set to switch it on, naming the configuration key; shown when {@link #enabled()} is false. */
    String offReason();

    /** Largest body accepted; a longer one is refused (413) before it is verified. */
    int maxBodyBytes();

    /** The configuration key of {@link #maxBodyBytes()}, for the refusal. */
    String maxBodyBytesKey();

    /**
     * Whether the call is genuine: signed by the provider over this very body, recently. Called before the body is
     * parsed; a refused call changes nothing.
     *
     * @param header a request header's value by its name (case-insensitive), or null when absent
     * @param body the raw body, exactly as received
     * @param now the time to measure the call's age against
     */
    Verdict verify(UnaryOperator<String> header, byte[] body, Instant now);

    /**
     * The events of a verified body.
     *
     * @param receivedAt when an event carries no time of its own: the call's signed time
     */
    Batch parse(byte[] body, Instant receivedAt);

    /** What {@link #verify} found. */
    sealed interface Verdict {

        /** @param signedAt the time the provider signed the call */
        record Accepted(Instant signedAt) implements Verdict {}

        /**
         * @param reason a short metric label, e.g. {@code unsigned}, {@code stale}, {@code bad_signature}
         * @param message what was wrong, for the caller; never a secret
         */
        record Refused(String reason, String message) implements Verdict {}
    }

    /** What {@link #parse} made of a body. */
    sealed interface Batch {

        /** Each of the body's events in order. */
        record Events(List<Event> events) implements Batch {

            public Events {
                events = List.copyOf(events);
            }
        }

        /**
         * The body as a whole cannot be read (not JSON, not an array): answered 400.
         *
         * @param reason a short metric label, e.g. {@code not_json}
         * @param message what is wrong with it, never its content
         */
        record Unreadable(String reason, String message) implements Batch {}
    }

    /** One event of a batch, read into Herald's {@link FeedbackEvent} or set aside. */
    sealed interface Event {

        /** The event's type as a bounded metric label (unknown types are {@code other}). */
        String type();

        /** An event Herald records. */
        record Mapped(String type, FeedbackEvent event) implements Event {}

        /** An event of a type Herald does not act on; counted, then dropped. */
        record Ignored(String type) implements Event {}

        /** An event that lacks what it must have; {@code problem} names the field, never the value. */
        record Malformed(String type, String problem) implements Event {}
    }
}
