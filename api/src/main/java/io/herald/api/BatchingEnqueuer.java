package io.herald.api;

import io.herald.core.envelope.Envelope;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Coalesces the envelopes of concurrent requests into shared SendMessageBatch calls (up to 10
 * entries each), so the SQS calls per request fall as load rises, while every request still
 * returns only once SQS has answered for its own envelopes.
 *
 * <p>There is no background thread: the request that opens a batch leads it and sends it itself.
 * Two things make a batch grow. While {@code maxInFlight} calls are already out, a new batch waits
 * for one to come back and collects everything that arrives meanwhile (group commit: the slower
 * SQS answers, the bigger the batches). And while a call slot is free, the leader still waits up
 * to {@code maxWait} as long as other requests are on their way (announced with {@link #expect()}
 * and not yet enqueued). So a lone request is sent at once and pays no waiting, and under load
 * the calls per request fall towards one tenth.
 *
 * <p>{@link SqsProducer} does the sending (and splits what exceeds SQS's 1 MiB per call); batches
 * go to the queues in turn.
 */
final class BatchingEnqueuer {

    private final SqsProducer producer;
    private final List<QueueRef> queues;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final int maxInFlight;
    private final Consumer<List<Envelope>> beforeSend;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The batch new envelopes join; null when none is open. Guarded by {@link #lock}. */
    private Batch open;
    /** Requests announced and not yet enqueued. Guarded by {@link #lock}. */
    private int expected;
    /** Guarded by {@link #lock}. */
    private int nextQueue;
    /** SendMessageBatch calls out now. Guarded by {@link #lock}. */
    private int inFlight;

    /**
     * @param maxWait      longest a batch waits for requests on their way while a call slot is free
     * @param maxInFlight  SendMessageBatch calls out at once; beyond it batches wait and grow
     * @param beforeSend   runs on each batch just before it is sent (recording it as queued)
     * @param batchSizes   told the number of envelopes of each batch sent (for metrics)
     */
    BatchingEnqueuer(SqsProducer producer, List<QueueRef> queues, Duration maxWait, int maxInFlight,
                     Consumer<List<Envelope>> beforeSend, IntConsumer batchSizes) {
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("at least one queue is needed");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        this.producer = producer;
        this.queues = List.copyOf(queues);
        this.maxWaitNanos = maxWait.toNanos();
        this.maxInFlight = maxInFlight;
        this.beforeSend = beforeSend;
        this.batchSizes = batchSizes;
    }

    /** A request's promise to enqueue soon; closing it (always, in a finally) withdraws the promise. */
    final class Arrival implements AutoCloseable {
        private boolean done;

        @Override
        public void close() {
            lock.lock();
            try {
                if (!done) {
                    done = true;
                    expected--;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Announces a request that will probably enqueue, so open batches wait for it a little. */
    Arrival expect() {
        lock.lock();
        try {
            expected++;
            return new Arrival();
        } finally {
            lock.unlock();
        }
    }

    private static final class Batch {
        final List<Envelope> envelopes = new ArrayList<>(SqsProducer.MAX_BATCH_ENTRIES);
        final List<CompletableFuture<EnqueueResult>> results = new ArrayList<>(SqsProducer.MAX_BATCH_ENTRIES);
        boolean sealed;

        boolean full() {
            return envelopes.size() == SqsProducer.MAX_BATCH_ENTRIES;
        }
    }

    /**
     * Puts the envelopes on SQS, sharing calls with concurrent requests.
     *
     * @param arrival this request's announcement; it is closed here
     * @return one result per envelope, in order, once SQS has answered for every one
     */
    List<EnqueueResult> enqueue(Arrival arrival, List<Envelope> envelopes) throws InterruptedException {
        List<CompletableFuture<EnqueueResult>> mine = new ArrayList<>(envelopes.size());
        List<Batch> led = new ArrayList<>(1);
        lock.lock();
        try {
            for (Envelope envelope : envelopes) {
                if (open == null) {
                    open = new Batch();
                    led.add(open);
                }
                CompletableFuture<EnqueueResult> result = new CompletableFuture<>();
                open.envelopes.add(envelope);
                open.results.add(result);
                mine.add(result);
                if (open.full()) {
                    open.sealed = true;
                    open = null;
                }
            }
            if (!arrival.done) {
                arrival.done = true;
                expected--;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Batch batch : led) {
            lead(batch);
        }
        List<EnqueueResult> results = new ArrayList<>(mine.size());
        for (CompletableFuture<EnqueueResult> result : mine) {
            try {
                results.add(result.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("enqueueing failed unexpectedly", e.getCause());
            }
        }
        return results;
    }

    private void lead(Batch batch) {
        QueueRef queue;
        boolean interrupted = false;
        lock.lock();
        try {
            long deadline = System.nanoTime() + maxWaitNanos;
            try {
                while (!batch.sealed) {
                    long left = deadline - System.nanoTime();
                    if (inFlight >= maxInFlight) {
                        changed.await();  // a call comes back soon; everything arriving meanwhile joins
                    } else if (expected > 0 && left > 0) {
                        changed.await(left, TimeUnit.NANOSECONDS);
                    } else {
                        break;
                    }
                }
                if (!batch.sealed) {
                    batch.sealed = true;
                    if (open == batch) {
                        open = null;
                    }
                }
                while (inFlight >= maxInFlight) {
                    changed.await();
                }
            } catch (InterruptedException e) {
                // Other requests' envelopes are in this batch: send it now rather than strand them.
                interrupted = true;
                batch.sealed = true;
                if (open == batch) {
                    open = null;
                }
            }
            inFlight++;
            queue = queues.get(Math.floorMod(nextQueue++, queues.size()));
        } finally {
            lock.unlock();
        }
        try {
            send(batch, queue);
        } finally {
            lock.lock();
            try {
                inFlight--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void send(Batch batch, QueueRef queue) {
        List<EnqueueResult> results;
        try {
            beforeSend.accept(batch.envelopes);
            results = producer.send(queue.url(), batch.envelopes);
        } catch (RuntimeException e) {
            // The producer reports SQS failures as results; anything thrown is a bug, but no request may hang on it.
            batch.results.forEach(r -> r.completeExceptionally(e));
            return;
        }
        batchSizes.accept(batch.envelopes.size());
        for (int i = 0; i < results.size(); i++) {
            batch.results.get(i).complete(results.get(i));
        }
    }
}
