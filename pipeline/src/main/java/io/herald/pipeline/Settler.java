package io.herald.pipeline;

import io.herald.core.retry.Backoff;
import io.herald.core.retry.Sleeps;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Carries out what outcomes mean on SQS: delivered messages are deleted, retries become visible again after their
 * delay, and messages that can never be delivered are copied to the dead-letter queue with the reason as an attribute
 * before they are deleted. Deletes and visibility changes go out in batches of up to 10, each sent when full or after
 * the linger.
 */
final class Settler implements AutoCloseable {

    private static final int MAX_DELAY_SECONDS = 900;
    /** Between the tries of a dead-letter copy: 200 ms, then 400 ms. */
    private static final Backoff COPY_PAUSES = new Backoff(Duration.ofMillis(200), Duration.ofMillis(400));

    private static final Logger log = LoggerFactory.getLogger(Settler.class);
    private static final long MAX_VISIBILITY_SECONDS = Duration.ofHours(12).toSeconds();
    /** A receipt handle that is no longer valid will not become valid by retrying. */
    private static final String INVALID_RECEIPT = "ReceiptHandleIsInvalid";

    private final SqsClient sqs;
    private final Clock clock;
    private final Duration linger;
    /** Entry ids must be distinct within a batch; one message can be in the same batch twice. */
    private final AtomicLong entryIds = new AtomicLong();

    private final Map<String, Batcher<DeleteMessageBatchRequestEntry>> deletes = new ConcurrentHashMap<>();
    private final Map<String, Batcher<ChangeMessageVisibilityBatchRequestEntry>> visibility = new ConcurrentHashMap<>();

    /** @param linger longest an action waits for others to share its batch (pipeline.settleLinger) */
    Settler(SqsClient sqs, Clock clock, Duration linger) {
        this.sqs = sqs;
        this.clock = clock;
        this.linger = linger;
    }

    /*
     * Every action takes an onDone, run once SQS confirmed it or it was given up: the caller keeps
     * the message counted as in flight until then, so a slow SQS slows reading instead of letting
     * settled-but-unconfirmed messages pile up (and, on a crash, come back as duplicates).
     */

    void delete(QueueRef queue, Message message, Runnable onDone) {
        deletes.computeIfAbsent(
                        queue.url(),
                        url -> new Batcher<>("delete " + queue.name(), batch -> deleteBatch(url, batch), linger))
                .add(
                        DeleteMessageBatchRequestEntry.builder()
                                .id(nextEntryId())
                                .receiptHandle(message.receiptHandle())
                                .build(),
                        onDone);
    }

    /** Makes the message visible again after {@code after} (0 = at once). */
    void release(QueueRef queue, Message message, Duration after, Runnable onDone) {
        long seconds = Math.min(Math.max(0, after.toSeconds()), MAX_VISIBILITY_SECONDS);
        changeVisibility(queue, message, (int) seconds, onDone);
    }

    /** Keeps a message hidden for another {@code period}: it is still being worked on. */
    void extend(QueueRef queue, Message message, Duration period) {
        changeVisibility(queue, message, (int) Math.min(period.toSeconds(), MAX_VISIBILITY_SECONDS), () -> {});
    }

    private void changeVisibility(QueueRef queue, Message message, int seconds, Runnable onDone) {
        visibility
                .computeIfAbsent(
                        queue.url(),
                        url -> new Batcher<>(
                                "visibility " + queue.name(), batch -> visibilityBatch(url, batch), linger))
                .add(
                        ChangeMessageVisibilityBatchRequestEntry.builder()
                                .id(nextEntryId())
                                .receiptHandle(message.receiptHandle())
                                .visibilityTimeout(seconds)
                                .build(),
                        onDone);
    }

    /**
     * Copies the message to the dead-letter queue with its reason (and the provider whose answer decided it, when one
     * did), in the attributes {@link MessageAttributes} defines, then deletes it.
     *
     * @param heraldId Herald's id of the message (what the API answered and the status table knows), or null when its
     *     body could not be read; logged with SQS's id
     * @return false when the copy failed: the message stays (onDone has run) and comes back after its visibility
     *     timeout; SQS's own redrive moves it in the end
     */
    boolean deadLetter(
            QueueRef queue, Message message, String heraldId, String reason, String provider, Runnable onDone) {
        if (!copyToDeadLetter(queue, message, heraldId, reason, provider)) {
            onDone.run();
            return false;
        }
        delete(queue, message, onDone);
        return true;
    }

    /**
     * The first half of {@link #deadLetter}: the copy, without the delete, for a caller that has something to do in
     * between (make the message's final status durable).
     *
     * @return false when the copy failed three times; the message is left as it is
     */
    boolean copyToDeadLetter(QueueRef queue, Message message, String heraldId, String reason, String provider) {
        String which = (heraldId == null ? "unreadable message" : "message " + heraldId) + " (SQS "
                + message.messageId() + ")";
        Map<String, MessageAttributeValue> attributes =
                MessageAttributes.deadLettered(reason, queue.name(), clock.instant(), provider);
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                sqs.sendMessage(b -> b.queueUrl(queue.deadLetterUrl())
                        .messageBody(message.body())
                        .messageAttributes(attributes));
                log.warn("dead-lettered {} from {}: {}", which, queue.name(), reason);
                return true;
            } catch (SdkException e) {
                log.warn(
                        "cannot dead-letter {} from {} (attempt {}/3): {}",
                        which,
                        queue.name(),
                        attempt,
                        e.getMessage());
                if (attempt < 3) {
                    Sleeps.quietly(COPY_PAUSES.step(attempt));
                }
            }
        }
        return false;
    }

    /**
     * Puts a message that must wait (its channel is paused) back on its queue as a fresh copy hidden for {@code delay},
     * then deletes the original. A copy rather than a visibility change, because every receive counts toward SQS's
     * redrive: a long pause would otherwise push waiting messages into the dead-letter queue. The attempts made so far
     * and the original's first send (for the queue's oldest age, see {@link OldestReceived}) go with the copy as
     * attributes.
     *
     * @param attempts receives of this message so far that were attempts to send it
     * @return false when the copy failed: the original is hidden for {@code delay} instead
     */
    boolean park(QueueRef queue, Message message, Duration delay, int attempts, Runnable onDone) {
        Map<String, MessageAttributeValue> attributes = MessageAttributes.parked(message, attempts);
        int seconds = (int) Math.min(Math.max(0, delay.toSeconds()), MAX_DELAY_SECONDS);
        try {
            sqs.sendMessage(b -> b.queueUrl(queue.url())
                    .messageBody(message.body())
                    .delaySeconds(seconds)
                    .messageAttributes(attributes));
        } catch (SdkException e) {
            log.warn(
                    "cannot park message {} on {}, hiding it for {} s instead: {}",
                    message.messageId(),
                    queue.name(),
                    seconds,
                    e.getMessage());
            changeVisibility(queue, message, seconds, onDone);
            return false;
        }
        delete(queue, message, onDone);
        return true;
    }

    private String nextEntryId() {
        return "e" + entryIds.incrementAndGet();
    }

    private List<DeleteMessageBatchRequestEntry> deleteBatch(String url, List<DeleteMessageBatchRequestEntry> batch) {
        List<BatchResultErrorEntry> failed =
                sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(batch)).failed();
        return retryable(batch, failed, DeleteMessageBatchRequestEntry::id, "delete");
    }

    private List<ChangeMessageVisibilityBatchRequestEntry> visibilityBatch(
            String url, List<ChangeMessageVisibilityBatchRequestEntry> batch) {
        List<BatchResultErrorEntry> failed = sqs.changeMessageVisibilityBatch(
                        b -> b.queueUrl(url).entries(batch))
                .failed();
        log.debug("changed visibility of {} message(s), {} failed", batch.size(), failed.size());
        return retryable(batch, failed, ChangeMessageVisibilityBatchRequestEntry::id, "visibility change");
    }

    private static <E> List<E> retryable(
            List<E> batch,
            List<BatchResultErrorEntry> failed,
            java.util.function.Function<E, String> id,
            String action) {
        List<E> again = new ArrayList<>();
        for (BatchResultErrorEntry error : failed) {
            if (INVALID_RECEIPT.equals(error.code())) {
                log.warn(
                        "{} refused: {} (the receipt expired; the message will be received again)",
                        action,
                        error.code());
                continue;
            }
            batch.stream()
                    .filter(e -> id.apply(e).equals(error.id()))
                    .findFirst()
                    .ifPresent(again::add);
        }
        return again;
    }

    /** Everything pending is sent before this returns, or the deadline passes. */
    void close(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        List<Batcher<?>> all = new ArrayList<>(deletes.values());
        all.addAll(visibility.values());
        for (Batcher<?> batcher : all) {
            batcher.close(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
