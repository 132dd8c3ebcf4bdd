package io.herald.pipeline;

import io.herald.core.retry.Backoff;
import io.herald.core.retry.Sleeps;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the pipeline's delivery statuses off the path of each send: updates wait here and are written together
 * ({@link StatusStore#recordAll}), up to {@value #PER_WRITE} messages per request, once that many are waiting or the
 * oldest has waited {@code flushInterval}. Writing one update per state change cost two DynamoDB requests per message,
 * and as much CPU in the store as the pipeline spent on the message itself.
 *
 * <p>An update may carry what must wait for it: the settling of its message on SQS. That action runs only once the
 * write that carried the update succeeded, so a message is deleted only after its final status is durable, and a crash
 * can make a status be written twice, never skipped. Should the store stay unreachable through a few retries
 * ({@link Backoff}), the action runs anyway: status is for people asking and must never cost a delivery. The outage is
 * logged once, when it starts, and each update given up on is counted; while it lasts, each write gets one attempt, so
 * deliveries slow by one failed request per batch rather than by the whole retry schedule.
 *
 * <p>One flush at a time, its messages spread over parallel writes: updates of one message never sit in two writes at
 * once, where their transactions would conflict.
 */
final class StatusBuffer implements AutoCloseable {

    /** One TransactWriteItems takes this many actions. */
    static final int PER_WRITE = DynamoStatusStore.MAX_TRANSACTION;
    /**
     * Most updates one flush takes: two writes in parallel. More would not be faster on DynamoDB Local, which runs one
     * write at a time (a transaction of 100 took 60-150 ms there on a busy machine, and ten queued behind each other
     * ran past the client's timeouts), and two already carry several thousand messages a second on DynamoDB itself, at
     * a transaction's ~10-30 ms.
     */
    private static final int PER_FLUSH = 2 * PER_WRITE;
    /**
     * Tries of one write before its updates are given up on, when the store was answering. Each try has the SDK's own
     * retries inside (up to 20 s with them, see DynamoStatusStore), so a store that hangs holds delivered messages
     * (kept hidden by InFlight) for under a minute before they are settled without status; a store that is only slow
     * gets the time it needs.
     */
    private static final int ATTEMPTS = 2;

    private static final Logger log = LoggerFactory.getLogger(StatusBuffer.class);

    private final StatusStore store;
    private final Duration flushInterval;
    private final Backoff backoff;
    private final PipelineMetrics metrics;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final AtomicBoolean outage = new AtomicBoolean();
    private final AtomicLong droppedInOutage = new AtomicLong();
    private final Thread flusher;
    private volatile boolean closing;

    /**
     * @param store where statuses go, or null to record none (each action then runs at once)
     * @param backoff pauses between the tries of a write that failed
     */
    StatusBuffer(StatusStore store, Duration flushInterval, Backoff backoff, PipelineMetrics metrics) {
        this.store = store;
        this.flushInterval = flushInterval;
        this.backoff = backoff;
        this.metrics = metrics;
        metrics.watchStatusBuffer(pending::size);
        this.flusher = store == null
                ? null
                : Thread.ofVirtual().name("herald-status-flusher").start(this::run);
    }

    /** @param then what runs once the update is written or given up on (never on the caller's thread) */
    private record Pending(StatusUpdate update, Runnable then, long arrivedNanos) {}

    /** Records an update with the next flush; nothing waits for it. */
    void record(StatusUpdate update) {
        recordThen(update, null);
    }

    /**
     * Records an update with the next flush and runs {@code then} once it is durable (or was given up on). Without a
     * store, {@code then} runs at once on the caller's thread.
     */
    void recordThen(StatusUpdate update, Runnable then) {
        if (store == null) {
            if (then != null) {
                then.run();
            }
            return;
        }
        pending.add(new Pending(update, then, System.nanoTime()));
    }

    private void run() {
        while (!closing || !pending.isEmpty()) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = first.arrivedNanos() + flushInterval.toNanos();
                while (batch.size() < PER_WRITE && !closing) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : pending.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                // Closing: what is collected still goes out below, the rest on the next turns.
                closing = true;
            }
            pending.drainTo(batch, PER_FLUSH - batch.size());
            if (!batch.isEmpty()) {
                flush(batch);
            }
        }
    }

    /** Writes the batch, in parallel writes of at most {@value #PER_WRITE} messages, and waits for them. */
    private void flush(List<Pending> batch) {
        Map<String, List<Pending>> byMessage = new LinkedHashMap<>();
        for (Pending p : batch) {
            byMessage
                    .computeIfAbsent(p.update().messageId(), id -> new ArrayList<>())
                    .add(p);
        }
        List<List<Pending>> writes = new ArrayList<>();
        List<Pending> write = new ArrayList<>();
        int messages = 0;
        for (List<Pending> ofMessage : byMessage.values()) {
            if (messages == PER_WRITE) {
                writes.add(write);
                write = new ArrayList<>();
                messages = 0;
            }
            write.addAll(ofMessage);
            messages++;
        }
        writes.add(write);
        if (writes.size() == 1) {
            write(writes.getFirst());
            return;
        }
        List<Thread> threads = new ArrayList<>();
        for (List<Pending> w : writes) {
            threads.add(Thread.ofVirtual().name("herald-status-write").start(() -> write(w)));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                // Closing: the writes finish on their own threads; their actions still run.
                closing = true;
            }
        }
    }

    private void write(List<Pending> write) {
        List<StatusUpdate> updates = write.stream().map(Pending::update).toList();
        int attempts = outage.get() ? 1 : ATTEMPTS;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                store.recordAll(updates);
                metrics.statusUpdates("written", updates.size());
                if (outage.compareAndSet(true, false)) {
                    log.info(
                            "status store answers again; {} status update(s) were not recorded while it did not",
                            droppedInOutage.getAndSet(0));
                }
                runActions(write);
                return;
            } catch (RuntimeException e) {
                if (attempt < attempts) {
                    log.debug(
                            "status write of {} update(s) failed (attempt {}/{}): {}",
                            updates.size(),
                            attempt,
                            attempts,
                            e.getMessage());
                    Sleeps.quietly(backoff.delay(
                            attempt, Duration.ZERO, ThreadLocalRandom.current().nextDouble()));
                } else {
                    giveUp(write, e);
                }
            }
        }
    }

    private void giveUp(List<Pending> write, RuntimeException e) {
        metrics.statusUpdates("dropped", write.size());
        droppedInOutage.addAndGet(write.size());
        if (outage.compareAndSet(false, true)) {
            log.warn(
                    "status store unreachable, statuses are not recorded until it answers again; deliveries go on "
                            + "and delivered messages are deleted all the same: {}",
                    e.getMessage());
        }
        runActions(write);
    }

    private static void runActions(List<Pending> write) {
        for (Pending p : write) {
            if (p.then() != null) {
                try {
                    p.then().run();
                } catch (RuntimeException e) {
                    log.error(
                            "settling message {} after its status failed",
                            p.update().messageId(),
                            e);
                }
            }
        }
    }

    /** Updates waiting for a flush. */
    int pending() {
        return pending.size();
    }

    /** Writes what is waiting, giving it at most {@code deadline}. */
    void close(Duration deadline) {
        closing = true;
        if (flusher == null) {
            return;
        }
        try {
            if (!flusher.join(deadline)) {
                log.warn(
                        "{} status update(s) still waiting after {}; their messages come back from SQS",
                        pending.size(),
                        deadline);
                flusher.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
