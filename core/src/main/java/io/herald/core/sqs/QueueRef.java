package io.herald.core.sqs;

/**
 * A work queue and its dead-letter queue.
 *
 * @param name the queue's name, as configured
 * @param url the queue's URL, as SQS returned it
 * @param deadLetterUrl the URL of the queue that receives what cannot be delivered
 */
public record QueueRef(String name, String url, String deadLetterUrl) {

    /** The dead-letter queue's name: the last segment of its URL, as SQS forms queue URLs. */
    public String deadLetterName() {
        return deadLetterUrl.substring(deadLetterUrl.lastIndexOf('/') + 1);
    }
}
