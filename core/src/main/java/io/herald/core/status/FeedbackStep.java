package io.herald.core.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing a provider reported about a message after accepting it, as its status history shows it.
 *
 * @param messageId Herald's id of the message
 * @param eventId the provider's id of the event: recording the same event twice records it once
 * @param type {@code hard-bounce}, {@code soft-bounce}, {@code complaint}, {@code delivery}, {@code deferral} or
 *     {@code dropped}
 * @param source the provider that reported it
 * @param detail the provider's words (a diagnostic, a complaint's kind, a reason), or null
 * @param at when the provider says it happened
 * @param newState the state the message moves to ({@link DeliveryState.Bounced} or {@link DeliveryState.Complained}),
 *     or null when the event only adds to the history (a delivery, a deferral, a drop)
 */
public record FeedbackStep(
        String messageId,
        String eventId,
        String type,
        String source,
        String detail,
        Instant at,
        DeliveryState newState) {

    public FeedbackStep {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        if (newState != null
                && !(newState instanceof DeliveryState.Bounced || newState instanceof DeliveryState.Complained)) {
            throw new IllegalArgumentException(
                    "feedback moves a message only to bounced or complained, not " + newState.name());
        }
    }
}
