package io.herald.pipeline;

import io.herald.core.sqs.QueueRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Messages received and not yet settled. Bounds them ({@code maxInFlight} permits, taken before a receive, so reading
 * waits when sends fall behind) and keeps each one hidden while it is still being worked on: a message held past half
 * the visibility timeout (waiting for a busy provider, say) gets its visibility extended, so it cannot reappear and be
 * sent twice.
 */
final class InFlight implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InFlight.class);

    private record Held(QueueRef queue, Message message, long extendedAtNanos) {}

    private final Semaphore permits;
    private final int max;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Settler settler;
    private final Duration visibility;
    private final ScheduledExecutorService keeper;
    private final long thresholdNanos;

    InFlight(int max, Settler settler, Duration visibility) {
        this.max = max;
        this.permits = new Semaphore(max);
        this.settler = settler;
        this.visibility = visibility;
        this.thresholdNanos = visibility.toNanos() / 2;
        this.keeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("herald-visibility-keeper").factory());
        long period = Math.max(visibility.toMillis() / 4, 50);
        keeper.scheduleWithFixedDelay(this::keepHidden, period, period, TimeUnit.MILLISECONDS);
    }

    /** Waits for room for up to {@code wanted} messages and takes it. */
    void acquire(int wanted) throws InterruptedException {
        permits.acquire(wanted);
    }

    /** Gives back room that a receive did not use. */
    void giveBack(int unused) {
        if (unused > 0) {
            permits.release(unused);
        }
    }

    void hold(QueueRef queue, Message message) {
        held.put(message.receiptHandle(), new Held(queue, message, System.nanoTime()));
    }

    /** The message is settled (or handed to the settler): it no longer needs room or extending. */
    void done(Message message) {
        if (held.remove(message.receiptHandle()) != null) {
            permits.release();
        }
    }

    int count() {
        return held.size();
    }

    int capacity() {
        return max;
    }

    /** Every quarter of the visibility timeout: extends what has been held for half of it. */
    private void keepHidden() {
        long now = System.nanoTime();
        held.replaceAll((handle, h) -> {
            if (now - h.extendedAtNanos() < thresholdNanos) {
                return h;
            }
            log.debug(
                    "extending visibility of message {} from {}",
                    h.message().messageId(),
                    h.queue().name());
            settler.extend(h.queue(), h.message(), visibility);
            return new Held(h.queue(), h.message(), now);
        });
    }

    @Override
    public void close() {
        keeper.shutdownNow();
    }
}
