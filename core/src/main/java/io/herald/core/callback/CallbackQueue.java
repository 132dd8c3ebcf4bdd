package io.herald.core.callback;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Puts callbacks on the SQS callbacks queue, ten to a SendMessageBatch. The queue, not memory, holds a callback until
 * it is posted or given up on, so a restart loses none and any pipeline instance may post it.
 */
public final class CallbackQueue {

    private static final int MAX_BATCH = 10;

    private final SqsClient sqs;
    private final String url;

    public CallbackQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.url = queueUrl;
    }

    /** @throws CallbackQueueException when SQS cannot be reached or refuses some of them */
    public void enqueue(List<CallbackEvent> events) {
        for (int from = 0; from < events.size(); from += MAX_BATCH) {
            List<CallbackEvent> chunk = events.subList(from, Math.min(events.size(), from + MAX_BATCH));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(chunk.get(i).toQueueBody())
                        .build());
            }
            SendMessageBatchResponse response;
            try {
                response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            } catch (SdkException e) {
                throw new CallbackQueueException(chunk.size() + " callback(s) not queued: " + e.getMessage(), e);
            }
            if (response.hasFailed() && !response.failed().isEmpty()) {
                throw new CallbackQueueException(
                        response.failed().size() + " callback(s) not queued: "
                                + response.failed().getFirst().code(),
                        null);
            }
        }
    }

    /** The queue did not take callbacks. */
    public static final class CallbackQueueException extends RuntimeException {
        CallbackQueueException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
