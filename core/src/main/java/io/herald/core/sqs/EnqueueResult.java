package io.herald.core.sqs;

/** What became of one envelope handed to {@link SqsProducer}: every envelope gets exactly one. */
public sealed interface EnqueueResult {

    String envelopeId();

    /** SQS accepted the envelope; it will be delivered or dead-lettered, never silently lost. */
    record Enqueued(String envelopeId, String sqsMessageId) implements EnqueueResult {
    }

    /**
     * SQS did not take the envelope.
     *
     * @param code       SQS's error code, or Herald's ({@code MessageTooLarge}, {@code SqsUnreachable})
     * @param reason     what happened, for logs and API responses
     * @param retryable  whether sending the same envelope again may succeed
     */
    record NotEnqueued(String envelopeId, String code, String reason, boolean retryable) implements EnqueueResult {
    }
}
