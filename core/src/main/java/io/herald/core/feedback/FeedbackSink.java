package io.herald.core.feedback;

/**
 * Where every intake hands the events it verified and parsed. Recording one updates the message's status (when the
 * message is known), the suppression list and the feedback metrics.
 */
public interface FeedbackSink {

    /**
     * Records one event. Recording the same event twice (an SQS redelivery, a webhook retry) changes nothing more.
     *
     * @throws FeedbackStoreException when the status store or the suppression list cannot be written; the intake must
     *     then leave the event to be delivered again (not delete the SQS message; answer the webhook with a 5xx)
     */
    void accept(FeedbackEvent event);
}
