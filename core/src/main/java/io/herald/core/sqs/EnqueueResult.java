package io.herald.core.sqs;

/** What became of one envelope handed to {@link SqsProducer}: every envelope gets exactly one. */
public sealed interface EnqueueResult {

    /** Herald's code for an envelope larger than SQS accepts; never sent, never retryable. */
    String MESSAGE_TOO_LARGE = "MessageTooLarge";
    /** Herald's code for an SQS that could not be reached at all; retryable. */
    String SQS_UNREACHABLE = "SqsUnreachable";

    String envelopeId();

    /** SQS accepted the envelope; it will be delivered or dead-lettered, never silently lost. */
    record Enqueued(String envelopeId, String sqsMessageId) implements EnqueueResult {}

    /**
     * SQS did not take the envelope.
     *
     * @param code SQS's error code, or Herald's ({@link #MESSAGE_TOO_LARGE}, {@link #SQS_UNREACHABLE})
     * @param reason what happened, for logs and API responses; never contains the message body
     * @param retryable whether sending the same envelope again may succeed
     */
    record NotEnqueued(String envelopeId, String code, String reason, boolean retryable) implements EnqueueResult {}
}
