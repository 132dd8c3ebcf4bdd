package io.herald.pipeline;

import io.herald.core.retry.Backoff;
import io.herald.core.retry.Sleeps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects entries and sends them in batches of up to 10, the most SQS's batch actions take: a batch goes out when it
 * is full or when its first entry has waited {@code linger}, so at a low rate one request still carries several
 * entries. Entries the send reports as worth retrying are tried again with growing pauses, a few times, then given up
 * with an error in the log: errors are never silently ignored, and a message whose delete is lost only comes back
 * later. Each entry's {@code onDone} runs once SQS has confirmed it or it was given up.
 *
 * <p>One collector forms the batches and up to {@value #SENDERS} of them are sent at once. (With a collector per
 * sender, the senders took turns at the entries and split a burst of 10 into four small batches.) The collector blocks
 * while nothing is pending: an idle batcher costs no CPU.
 */
final class Batcher<E> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Batcher.class);
    private static final int MAX_BATCH = 10;
    private static final int MAX_ATTEMPTS = 4;
    private static final Backoff RETRY_PAUSES = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400));
    /** Batches in flight at once: one round trip at a time would cap settling below what reading achieves. */
    private static final int SENDERS = 4;

    private final String name;
    private final Function<List<E>, List<E>> sendReturningRetryable;
    private final long lingerNanos;
    private final LinkedBlockingQueue<Pending<E>> pending = new LinkedBlockingQueue<>();
    private final Semaphore sending = new Semaphore(SENDERS);
    private final Thread collector;
    private volatile boolean closing;

    /** @param sendReturningRetryable sends one batch and returns the entries to try again */
    Batcher(String name, Function<List<E>, List<E>> sendReturningRetryable, Duration linger) {
        this.name = name;
        this.sendReturningRetryable = sendReturningRetryable;
        this.lingerNanos = linger.toNanos();
        this.collector = Thread.ofVirtual().name("herald-batch-" + name).start(this::collect);
    }

    private record Pending<E>(E entry, Runnable onDone) {}

    void add(E entry, Runnable onDone) {
        pending.add(new Pending<>(entry, onDone));
    }

    int pending() {
        return pending.size();
    }

    private void collect() {
        while (true) {
            List<Pending<E>> batch = new ArrayList<>(MAX_BATCH);
            try {
                Pending<E> first = closing ? pending.poll() : pending.take();
                if (first == null) {
                    return;
                }
                batch.add(first);
                long deadline = System.nanoTime() + lingerNanos;
                while (batch.size() < MAX_BATCH) {
                    long left = deadline - System.nanoTime();
                    // Closing: no more lingering, what is there goes out at once.
                    Pending<E> next = left > 0 && !closing ? pending.poll(left, TimeUnit.NANOSECONDS) : pending.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                // close() interrupts a collector that waits: what is collected goes out below, the rest next turns.
                closing = true;
            }
            if (!batch.isEmpty()) {
                sending.acquireUninterruptibly();
                Thread.ofVirtual().name("herald-batch-send-" + name).start(() -> {
                    try {
                        sendWithRetries(batch);
                    } finally {
                        sending.release();
                    }
                });
            }
        }
    }

    private void sendWithRetries(List<Pending<E>> batch) {
        List<Pending<E>> left = batch;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && !left.isEmpty(); attempt++) {
            if (attempt > 1) {
                Sleeps.quietly(RETRY_PAUSES.step(attempt - 1));
            }
            try {
                List<E> again = sendReturningRetryable.apply(
                        left.stream().map(Pending::entry).toList());
                List<Pending<E>> next = new ArrayList<>();
                for (Pending<E> p : left) {
                    if (again.contains(p.entry())) {
                        next.add(p);
                    } else {
                        p.onDone().run();
                    }
                }
                left = next;
            } catch (RuntimeException e) {
                log.warn(
                        "{}: batch of {} failed (attempt {}/{}): {}",
                        name,
                        left.size(),
                        attempt,
                        MAX_ATTEMPTS,
                        e.getMessage());
            }
        }
        if (!left.isEmpty()) {
            log.error("{}: gave up on {} entries after {} attempts", name, left.size(), MAX_ATTEMPTS);
            left.forEach(p -> p.onDone().run());
        }
    }

    /** Sends what is pending, waiting at most {@code deadline}. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    void close(Duration deadline) {
        closing = true;
        collector.interrupt();
        long end = System.nanoTime() + deadline.toNanos();
        try {
            boolean sent = collector.join(Duration.ofNanos(Math.max(0, end - System.nanoTime())))
                    && sending.tryAcquire(SENDERS, Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!sent) {
                log.warn("{}: {} entries still pending after {}", name, pending.size(), deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
