package io.herald.pipeline;

import io.herald.core.sqs.MessageAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The oldest SentTimestamp among the messages each queue's receives returned since it was last taken: what this
 * instance reports as its queues' oldest message ({@link PipelineControl}).
 *
 * <p>It is gathered from the receives the pipeline makes anyway, at no extra request: asking a work queue separately
 * would mean receiving its messages, and every receive counts toward the redrive policy's maxReceiveCount. A message
 * that keeps failing comes back with the SentTimestamp of its first send on every receive, so the age reported for its
 * queue keeps growing while it is retried, which is the signal an operator needs. A parked message (its channel paused)
 * comes back as a fresh copy with a SentTimestamp of its own, so the copy carries its original's as
 * {@link MessageAttributes#FIRST_SENT}, and a long pause shows as the long wait it is.
 */
final class OldestReceived {

    /** No message: larger than any timestamp, so it loses every min. */
    static final long NONE = Long.MAX_VALUE;

    /** Epoch millis per queue name, {@link #NONE} when nothing was received since the last take. */
    private final Map<String, AtomicLong> oldest = new LinkedHashMap<>();

    OldestReceived(List<String> queues) {
        queues.forEach(q -> oldest.put(q, new AtomicLong(NONE)));
    }

    List<String> queues() {
        return List.copyOf(oldest.keySet());
    }

    /** Notes the messages one receive of the queue returned. */
    void saw(String queue, List<Message> messages) {
        long min = NONE;
        for (Message m : messages) {
            min = Math.min(min, MessageAttributes.firstSent(m).orElse(NONE));
        }
        if (min != NONE) {
            put(queue, min);
        }
    }

    /** The oldest received since the last take, or null when none was; starts the next interval. */
    Instant take(String queue) {
        long millis = oldest.get(queue).getAndSet(NONE);
        return millis == NONE ? null : Instant.ofEpochMilli(millis);
    }

    /** Hands back what a report that could not be published took, so the next one includes it. */
    void putBack(String queue, Instant taken) {
        if (taken != null) {
            put(queue, taken.toEpochMilli());
        }
    }

    private void put(String queue, long millis) {
        oldest.get(queue).accumulateAndGet(millis, Math::min);
    }
}
