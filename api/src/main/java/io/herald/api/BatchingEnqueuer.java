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
 * Coalesces the envelopes of concurrent requests into shared calls, in two stages, so the calls per request fall as
 * load rises, while every request still returns only once its envelopes are recorded as queued and SQS has answered for
 * them:
 *
 * <ol>
 *   <li>the status write ({@code beforeSend}, one BatchWriteItem of up to 25 envelopes), then
 *   <li>SendMessageBatch (up to 10 envelopes each), for what was just recorded.
 * </ol>
 *
 * The order is the guarantee: an envelope reaches SQS only after its {@code queued} status was written, so the
 * pipeline's later states can never be overwritten by it, and a client polling right after its answer finds the
 * message.
 *
 * <p>There is no background thread: the request that opens a status batch leads it. Two things make a batch grow. While
 * a stage's calls are all out, a new batch waits for one to come back and collects everything that arrives meanwhile
 * (group commit: the slower the store or SQS, the bigger the batches). And while a status call slot is free, the leader
 * still waits up to {@code maxWait}, but only as long as other requests are on their way (announced with
 * {@link #expect()} and not yet enqueued): a lone request is sent at once. The SQS stage never lingers: a written
 * status batch moves on as a whole, so its envelopes share SendMessageBatch calls without waiting for anyone.
 *
 * <p>Both stages batch separately because the status store pays per call (DynamoDB Local takes one lock per write
 * call): at 16 connections one status write covers most requests in flight instead of one per SQS call.
 * {@link SqsProducer} does the sending (and splits what exceeds SQS's 1 MiB per call); batches go to the queues in
 * turn.
 */
final class BatchingEnqueuer {

    /** BatchWriteItem's limit. */
    static final int MAX_STATUS_ENTRIES = 25;
    /**
     * Status writes out at once. Fewer than SQS calls: each write covers more envelopes, and DynamoDB Local serialises
     * writes anyway; two still overlap one call's round trip with the next. Four was measured side by side (`herald
     * bench api`, Dec 2026): status writes per request rose from 0.33 to 0.53 at 16 connections, SendMessageBatch calls
     * with them, the API's CPU per request by a third, and req/s fell to 0.69x (0.79x at 64): fewer, fuller calls win
     * on a busy machine.
     */
    static final int STATUS_CALLS_IN_FLIGHT = 2;

    private final SqsProducer producer;
    private final List<QueueRef> queues;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final int maxInFlight;
    private final Consumer<List<Envelope>> beforeSend;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The status batch new envelopes join; null when none is open. Guarded by {@link #lock}. */
    private Batch openStatus;
    /** The SQS batch written envelopes join; null when none is open. Guarded by {@link #lock}. */
    private Batch open;
    /** Requests announced and not yet enqueued. Guarded by {@link #lock}. */
    private int expected;
    /** Guarded by {@link #lock}. */
    private int nextQueue;
    /** SendMessageBatch calls out now. Guarded by {@link #lock}. */
    private int inFlight;
    /** Status writes out now. Guarded by {@link #lock}. */
    private int statusInFlight;

    /**
     * @param maxWait longest a status batch waits for requests on their way while a call slot is free
     * @param maxInFlight SendMessageBatch calls out at once; beyond it batches wait and grow
     * @param beforeSend records each status batch as queued, before any of it is sent; what it throws fails that
     *     batch's requests
     * @param batchSizes told the number of envelopes of each SendMessageBatch call (for metrics)
     */
    BatchingEnqueuer(
            SqsProducer producer,
            List<QueueRef> queues,
            Duration maxWait,
            int maxInFlight,
            Consumer<List<Envelope>> beforeSend,
            IntConsumer batchSizes) {
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

    /** Envelopes waiting in the open status batch (for tests: what the next status write will carry). */
    int waitingForStatusWrite() {
        lock.lock();
        try {
            return openStatus == null ? 0 : openStatus.entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** One envelope and where its request waits for SQS's answer. */
    private record Entry(Envelope envelope, CompletableFuture<EnqueueResult> result) {}

    private static final class Batch {
        final int capacity;
        final List<Entry> entries;
        boolean sealed;

        Batch(int capacity) {
            this.capacity = capacity;
            this.entries = new ArrayList<>(capacity);
        }

        boolean full() {
            return entries.size() == capacity;
        }

        List<Envelope> envelopes() {
            List<Envelope> out = new ArrayList<>(entries.size());
            entries.forEach(e -> out.add(e.envelope()));
            return out;
        }

        void fail(Throwable e) {
            entries.forEach(entry -> entry.result().completeExceptionally(e));
        }
    }

    /**
     * Records the envelopes as queued and puts them on SQS, sharing calls with concurrent requests.
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
                if (openStatus == null) {
                    openStatus = new Batch(MAX_STATUS_ENTRIES);
                    led.add(openStatus);
                }
                Entry entry = new Entry(envelope, new CompletableFuture<>());
                openStatus.entries.add(entry);
                mine.add(entry.result());
                if (openStatus.full()) {
                    openStatus.sealed = true;
                    openStatus = null;
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
            leadStatus(batch);
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

    /** Waits for a status call slot (and, with one free, briefly for requests on their way), writes, moves on. */
    private void leadStatus(Batch batch) {
        boolean interrupted = false;
        lock.lock();
        try {
            long deadline = System.nanoTime() + maxWaitNanos;
            try {
                while (!batch.sealed) {
                    long left = deadline - System.nanoTime();
                    if (statusInFlight >= STATUS_CALLS_IN_FLIGHT) {
                        changed.await(); // a write comes back soon; everything arriving meanwhile joins
                    } else if (expected > 0 && left > 0) {
                        changed.await(left, TimeUnit.NANOSECONDS);
                    } else {
                        break;
                    }
                }
                seal(batch);
                while (statusInFlight >= STATUS_CALLS_IN_FLIGHT) {
                    changed.await();
                }
            } catch (InterruptedException e) {
                // Other requests' envelopes are in this batch: write and send it now rather than strand them.
                interrupted = true;
                seal(batch);
            }
            statusInFlight++;
        } finally {
            lock.unlock();
        }
        boolean written = false;
        try {
            beforeSend.accept(batch.envelopes());
            written = true;
        } catch (RuntimeException e) {
            // The caller reports store failures itself; anything thrown is a bug, but no request may hang on it.
            batch.fail(e);
        } finally {
            List<Batch> sqsBatches = new ArrayList<>(2);
            lock.lock();
            try {
                statusInFlight--;
                if (written) {
                    for (Entry entry : batch.entries) {
                        if (open == null) {
                            open = new Batch(SqsProducer.MAX_BATCH_ENTRIES);
                            sqsBatches.add(open);
                        }
                        open.entries.add(entry);
                        if (open.full()) {
                            open.sealed = true;
                            open = null;
                        }
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            // Each SQS batch this write opened gets a leader of its own, so they go out side by side.
            for (int i = 0; i < sqsBatches.size() - 1; i++) {
                Batch extra = sqsBatches.get(i);
                Thread.ofVirtual().name("herald-api-batch").start(() -> lead(extra));
            }
            if (!sqsBatches.isEmpty()) {
                lead(sqsBatches.getLast());
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void seal(Batch batch) {
        if (!batch.sealed) {
            batch.sealed = true;
            if (openStatus == batch) {
                openStatus = null;
            }
        }
    }

    /** Waits for an SQS call slot (everything written meanwhile joins the batch) and sends. */
    private void lead(Batch batch) {
        QueueRef queue;
        boolean interrupted = false;
        lock.lock();
        try {
            try {
                while (inFlight >= maxInFlight) {
                    changed.await(); // a call comes back soon; everything written meanwhile joins
                }
            } catch (InterruptedException e) {
                // Other requests' envelopes are in this batch: send it now rather than strand them.
                interrupted = true;
            }
            if (!batch.sealed) {
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
            results = producer.send(queue.url(), batch.envelopes());
        } catch (RuntimeException e) {
            // The producer reports SQS failures as results; anything thrown is a bug, but no request may hang on it.
            batch.fail(e);
            return;
        }
        batchSizes.accept(batch.entries.size());
        for (int i = 0; i < results.size(); i++) {
            batch.entries.get(i).result().complete(results.get(i));
        }
    }
}
