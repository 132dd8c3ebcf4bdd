package io.herald.core.feedback;

import java.time.Instant;

/**
 * One thing a provider reported about an email after accepting it, in Herald's words whatever the provider's format.
 * Each intake (SES through SNS and SQS, SendGrid's signed Event Webhook) turns its payload into these and hands them to
 * the {@link FeedbackSink}; nothing downstream knows which format they came in.
 *
 * <p>Every event names the address it is about, so an event for a message Herald does not know (or no longer knows)
 * still suppresses that address.
 */
public sealed interface FeedbackEvent {

    /** The provider that reported it, as its registry name. */
    String source();

    /** The provider's id of this event (SES: the SNS message id; SendGrid: {@code sg_event_id}), for de-duplication. */
    String eventId();

    /** Herald's message id, when the provider echoed it back (SES tags, SendGrid custom args); null when unknown. */
    String messageId();

    /** The receiver's address the event is about. */
    String address();

    /** When the provider says it happened. */
    Instant at();

    /** The receiving server refused the mail, for good ({@code permanent}) or for now. */
    record Bounce(
            String source,
            String eventId,
            String messageId,
            String address,
            Instant at,
            boolean permanent,
            String diagnostic)
            implements FeedbackEvent {}

    /** The receiver marked the mail as spam. */
    record Complaint(String source, String eventId, String messageId, String address, Instant at, String feedbackType)
            implements FeedbackEvent {}

    /** The receiving server accepted the mail (SES {@code Delivery}, SendGrid {@code delivered}). */
    record Delivery(String source, String eventId, String messageId, String address, Instant at)
            implements FeedbackEvent {}

    /** The receiving server asked to try later (SES {@code DeliveryDelay}, SendGrid {@code deferred}). */
    record Deferral(String source, String eventId, String messageId, String address, Instant at, String diagnostic)
            implements FeedbackEvent {}

    /** The provider itself refused to send it (SES {@code Reject}, SendGrid {@code dropped}). */
    record Dropped(String source, String eventId, String messageId, String address, Instant at, String reason)
            implements FeedbackEvent {}
}
