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

    /**
     * Whether this step's new state takes the place of {@code stored} (the rules of
     * {@link StatusStore#recordFeedback}): it replaces {@code delivered} and any state that is not final; a hard bounce
     * replaces a soft one; a complaint replaces a bounce; nothing replaces {@code rejected}, {@code dead-lettered},
     * {@code suppressed}, a complaint, or an equal verdict. False when the step has no new state.
     */
    public boolean replaces(DeliveryState stored) {
        if (newState == null) {
            return false;
        }
        if (!stored.isFinal() || stored instanceof DeliveryState.Delivered) {
            return true;
        }
        return switch (newState) {
            case DeliveryState.Complained c -> stored instanceof DeliveryState.Bounced;
            case DeliveryState.Bounced b ->
                b.permanent() && stored instanceof DeliveryState.Bounced s && !s.permanent();
            default -> false;
        };
    }
}
