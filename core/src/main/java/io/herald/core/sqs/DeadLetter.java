package io.herald.core.sqs;

import java.time.Instant;

/**
 * One message set aside in a dead-letter queue, as {@code herald dlq} shows it.
 *
 * @param messageId SQS's id of the message in the dead-letter queue
 * @param envelopeId the envelope's id, or null when the body is not an envelope Herald can read
 * @param channel the envelope's channel, or null when the body cannot be read
 * @param target the envelope's target (address, chat id, room), or null
 * @param provider the provider whose answer dead-lettered it, or null (never sent, or SQS moved it)
 * @param reason why it was set aside
 * @param queue the queue it came from and goes back to on redrive
 * @param deadLetterQueue the dead-letter queue it is in
 * @param deadLetteredAt when it was set aside (Herald's attribute), else SQS's SentTimestamp of the message
 * @param body the message body, exactly as it will be redriven
 */
public record DeadLetter(
        String messageId,
        String envelopeId,
        String channel,
        String target,
        String provider,
        String reason,
        String queue,
        String deadLetterQueue,
        Instant deadLetteredAt,
        String body) {

    /** The same dead letter with another reason (the stored one redacted, before it is printed). */
    public DeadLetter withReason(String newReason) {
        return new DeadLetter(
                messageId,
                envelopeId,
                channel,
                target,
                provider,
                newReason,
                queue,
                deadLetterQueue,
                deadLetteredAt,
                body);
    }

    /** The id people use: the envelope's (the one the API answered), else SQS's. */
    public String id() {
        return envelopeId != null ? envelopeId : messageId;
    }

    /** Whether {@code id} names this message, by envelope id or SQS message id. */
    public boolean isNamedBy(String id) {
        return id.equals(envelopeId) || id.equals(messageId);
    }
}
