package io.herald.pipeline;

import io.herald.core.sqs.QueueRef;
import io.herald.pipeline.provider.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns outcomes into SQS actions. Delivered messages are deleted in batches; retries are made
 * visible again after their delay; messages that can never be delivered are copied to the
 * dead-letter queue with the reason as an attribute and only then deleted.
 */
final class MessageSettler {

    /** Message attributes Herald puts on dead-lettered messages, for inspection and redrive. */
    static final String REASON_ATTRIBUTE = "herald-reason";
    static final String SOURCE_QUEUE_ATTRIBUTE = "herald-source-queue";
    static final String DEAD_LETTERED_AT_ATTRIBUTE = "herald-dead-lettered-at";

    private static final Logger log = LoggerFactory.getLogger(MessageSettler.class);
    private static final long MAX_VISIBILITY_SECONDS = Duration.ofHours(12).toSeconds();

    private final SqsClient sqs;

    MessageSettler(SqsClient sqs) {
        this.sqs = sqs;
    }

    record Settled(Message message, Outcome outcome) {
    }

    void settle(QueueRef queue, List<Settled> batch) {
        List<Message> toDelete = new ArrayList<>();
        for (Settled s : batch) {
            switch (s.outcome()) {
                case Outcome.Delivered d -> toDelete.add(s.message());
                case Outcome.Rejected r -> {
                    if (deadLetter(queue, s.message(), r.reason())) {
                        toDelete.add(s.message());
                    }
                }
                case Outcome.Retry r -> release(queue, s.message(), r.after(), r.reason());
                case Outcome.ProviderDown p -> release(queue, s.message(), Duration.ZERO, p.reason());
            }
        }
        delete(queue, toDelete);
    }

    private boolean deadLetter(QueueRef queue, Message message, String reason) {
        try {
            sqs.sendMessage(b -> b.queueUrl(queue.deadLetterUrl()).messageBody(message.body()).messageAttributes(Map.of(
                    REASON_ATTRIBUTE, text(reason),
                    SOURCE_QUEUE_ATTRIBUTE, text(queue.name()),
                    DEAD_LETTERED_AT_ATTRIBUTE, text(Instant.now().toString()))));
            log.warn("dead-lettered message {} from {}: {}", message.messageId(), queue.name(), reason);
            return true;
        } catch (SdkException e) {
            // Not deleted: the message comes back and SQS's own redrive moves it in the end.
            log.error("cannot dead-letter message {} from {} ({}): {}", message.messageId(), queue.name(), reason,
                    e.getMessage());
            return false;
        }
    }

    private void release(QueueRef queue, Message message, Duration after, String reason) {
        long seconds = Math.min(Math.max(0, after.toSeconds()), MAX_VISIBILITY_SECONDS);
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(queue.url()).receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) seconds));
            log.info("message {} from {} will be retried in {} s: {}", message.messageId(), queue.name(), seconds, reason);
        } catch (SdkException e) {
            log.warn("cannot release message {} from {}; it reappears after the visibility timeout: {}",
                    message.messageId(), queue.name(), e.getMessage());
        }
    }

    private void delete(QueueRef queue, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        try {
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queue.url()).entries(entries));
            response.failed().forEach(f -> log.warn("delete of a delivered message from {} failed ({}: {}); it may be delivered twice",
                    queue.name(), f.code(), f.message()));
        } catch (SdkException e) {
            log.warn("delete of {} delivered message(s) from {} failed; they may be delivered twice: {}",
                    messages.size(), queue.name(), e.getMessage());
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
