package io.herald.bench;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.SqsProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Enqueues email notifications at a steady rate, ten per SendMessageBatch, on a virtual thread, and remembers every id
 * it enqueued so a drill can check each one was delivered.
 */
final class SteadyLoad implements AutoCloseable {

    private final SqsProducer producer;
    private final String queueUrl;
    private final String drill;
    private final int perSecond;
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    /** When each id's SendMessageBatch call began, on the {@link System#nanoTime()} clock. */
    private final Map<String, Long> enqueuedAt = new ConcurrentHashMap<>();

    private final AtomicInteger notEnqueued = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread thread;

    SteadyLoad(SqsClient sqs, String queueUrl, String drill, int perSecond) {
        this.producer = new SqsProducer(sqs, new EnvelopeCodec());
        this.queueUrl = queueUrl;
        this.drill = drill;
        this.perSecond = perSecond;
    }

    /**
     * Enqueues {@code count} notifications at once, before the measured load: the first sends of a fresh JVM load
     * classes and open connections, which is not what a drill measures.
     */
    void warmUp(int count) {
        List<Envelope> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(LocalSqs.email(drill + "-warm-up", i));
        }
        long calledAt = System.nanoTime();
        record(producer.send(queueUrl, batch), calledAt);
    }

    private void record(List<EnqueueResult> results, long calledAt) {
        for (EnqueueResult result : results) {
            switch (result) {
                case EnqueueResult.Enqueued e -> {
                    sent.add(e.envelopeId());
                    enqueuedAt.put(e.envelopeId(), calledAt);
                }
                case EnqueueResult.NotEnqueued e -> notEnqueued.incrementAndGet();
            }
        }
    }

    /** Starts enqueueing for {@code duration}, or until {@link #close()}. */
    void start(Duration duration) {
        long startNanos = System.nanoTime();
        long endNanos = startNanos + duration.toNanos();
        thread = Thread.ofVirtual().name("steady-load").start(() -> {
            int n = 0;
            while (!stop.get() && System.nanoTime() < endNanos) {
                // Keeps to the schedule from the start, so a slow batch is caught up, not lost.
                long due = startNanos + (long) (n * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(wait));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                List<Envelope> batch = new ArrayList<>(SqsProducer.MAX_BATCH_ENTRIES);
                for (int i = 0; i < SqsProducer.MAX_BATCH_ENTRIES; i++) {
                    batch.add(LocalSqs.email(drill, n++));
                }
                long calledAt = System.nanoTime();
                record(producer.send(queueUrl, batch), calledAt);
            }
        });
    }

    /** Waits until the load has run its course. */
    void join() throws InterruptedException {
        thread.join();
    }

    /** Ids SQS accepted. */
    Set<String> sent() {
        return Set.copyOf(sent);
    }

    /** When the SendMessageBatch call that enqueued each id began ({@link System#nanoTime()}). */
    Map<String, Long> enqueuedAt() {
        return Map.copyOf(enqueuedAt);
    }

    /** Notifications SQS refused (none expected): they are not in {@link #sent()}. */
    int notEnqueued() {
        return notEnqueued.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        if (thread != null) {
            thread.join();
        }
    }
}
