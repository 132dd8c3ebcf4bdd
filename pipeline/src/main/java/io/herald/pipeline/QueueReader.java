package io.herald.pipeline;

import io.herald.core.retry.Backoff;
import io.herald.core.retry.Sleeps;
import io.herald.core.sqs.QueueRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reads one queue in iterations until stopped. An iteration runs {@code ceil(depth / 10)} readers at once, at most
 * {@code maxReaders}, each receiving up to 10, where depth is SQS's ApproximateNumberOfMessages, asked at most once per
 * {@code depthInterval} and only while receives come back full, and in between inferred from what they brought (see
 * {@link #plan()}). A queue that looks empty gets one long poll, so an idle pipeline makes about three receives per
 * queue per minute and no depth queries; a busy one waits at most a second per receive. When an iteration brought some
 * messages but no full receive, the next one waits first, so at a low rate a receive carries several messages instead
 * of one each: as long as the rate just seen takes to bring the missing ones, at most {@code receiveLinger}. Stopping
 * waits for a long poll in progress (see {@link #stop()}). Before receiving, a reader takes room for 10 messages in
 * {@link InFlight}: when sends fall behind, reading waits instead of piling up messages.
 *
 * <p>Each iteration starts by bringing pauses and shared health up to date ({@link PipelineControl#refresh}). While no
 * channel can be sent (every one paused, or all of its providers), the queue is not read at all, not even for its
 * depth: messages wait in SQS, and the reader looks again after {@code control.refreshInterval}.
 */
final class QueueReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(QueueReader.class);
    private static final int MAX_PER_RECEIVE = 10;
    private static final int BUSY_WAIT_SECONDS = 1;
    private static final Backoff ERROR_PAUSES = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

    private final SqsClient sqs;
    private final QueueRef queue;
    private final InFlight inFlight;
    private final Dispatcher dispatcher;
    private final PipelineMetrics metrics;
    private final int maxReaders;
    private final int idleWaitSeconds;
    private final long receiveLingerNanos;
    private final long depthIntervalNanos;
    private final PipelineControl control;
    private final OldestReceived oldest;

    /*
     * Stopping interrupts readers only while they wait for room in InFlight. A receive in progress
     * is allowed to finish (at most the long-poll wait) and its messages are dispatched: a long
     * poll cut off by the client stays open on the server, which may then hand a message to the
     * closed connection, hiding it for a whole visibility timeout.
     */
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /* What the reader believes about the queue; only the reading thread touches these. */
    /** Messages believed waiting: the last depth answer less what was received since. */
    private long estimate;

    private long depthAskedAtNanos;
    private boolean depthEverAsked;
    /** What the last iteration brought. */
    private Received last = new Received(0, 0, 0);
    /** When the last two iterations' receives returned: the span the last one's messages arrived in. */
    private long lastEndNanos;

    private long previousEndNanos;

    /**
     * What one iteration's receives brought.
     *
     * @param readers receives made
     * @param messages messages they brought
     * @param full receives that came back with a full 10
     */
    record Received(int readers, int messages, int full) {}

    QueueReader(
            SqsClient sqs,
            QueueRef queue,
            InFlight inFlight,
            Dispatcher dispatcher,
            PipelineMetrics metrics,
            int maxReaders,
            Duration idleWait,
            Duration receiveLinger,
            Duration depthInterval,
            PipelineControl control,
            OldestReceived oldest) {
        this.sqs = sqs;
        this.queue = queue;
        this.inFlight = inFlight;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.maxReaders = maxReaders;
        this.idleWaitSeconds = (int) idleWait.toSeconds();
        this.receiveLingerNanos = receiveLinger.toNanos();
        this.depthIntervalNanos = depthInterval.toNanos();
        this.control = control;
        this.oldest = oldest;
    }

    String queueName() {
        return queue.name();
    }

    @Override
    public void run() {
        int failures = 0;
        while (!stopping) {
            control.refresh();
            if (!control.anyChannelOpen()) {
                rest(control.refreshInterval());
                continue;
            }
            try {
                long linger = linger();
                if (linger > 0) {
                    // A trickle: let it gather in SQS so the next receive carries several, not one.
                    rest(Duration.ofNanos(linger));
                }
                int readers = plan();
                int waitSeconds = estimate <= 0 ? idleWaitSeconds : Math.min(BUSY_WAIT_SECONDS, idleWaitSeconds);
                last = iteration(readers, waitSeconds);
                previousEndNanos = lastEndNanos;
                lastEndNanos = System.nanoTime();
                estimate = Math.max(0, estimate - last.messages());
                if (last.messages() == 0) {
                    // An empty long poll is a better depth reading than a minute-old approximation.
                    estimate = 0;
                    metrics.depth(queue.name(), 0);
                }
                failures = 0;
            } catch (SdkException e) {
                if (stopping) {
                    return;
                }
                Duration pause = ERROR_PAUSES.step(++failures);
                log.warn("reading {} failed, trying again in {}: {}", queue.name(), pause, e.getMessage());
                last = new Received(0, 0, 0);
                Sleeps.quietly(pause);
            }
        }
    }

    /**
     * How long to wait before the next receive: nothing after an empty receive (the next is a long poll that answers
     * the first message at once) or a full one (more are waiting); after a partial one, the time the rate it saw takes
     * to bring the rest of a full receive, at most {@code receiveLinger}. So a faster trickle waits less, and adds less
     * latency.
     */
    private long linger() {
        if (receiveLingerNanos <= 0 || last.messages() == 0 || last.full() > 0) {
            return 0;
        }
        int missing = MAX_PER_RECEIVE * last.readers() - last.messages();
        long span = previousEndNanos == 0 ? receiveLingerNanos : lastEndNanos - previousEndNanos;
        return Math.min(receiveLingerNanos, span / last.messages() * missing);
    }

    /**
     * How many readers the next iteration runs. SQS is asked for the depth on the first iteration, and after that only
     * when a receive of the last iteration came back full and {@code depthInterval} has passed (an empty or partial
     * receive already says the queue is about empty: a trickle costs no depth queries), or at once when every receive
     * came back full and the estimate is used up: a backlog of unknown size, worth measuring. In between, readers
     * follow the estimate, and while every receive comes back full their number doubles (up to {@code maxReaders}) even
     * when the estimate says less: the approximation lags.
     */
    private int plan() {
        boolean allFull = last.readers() > 0 && last.full() == last.readers();
        boolean due = !depthEverAsked
                || (last.full() > 0 && System.nanoTime() - depthAskedAtNanos >= depthIntervalNanos)
                || (allFull && estimate <= 0);
        if (due) {
            estimate = depth();
            depthAskedAtNanos = System.nanoTime();
            depthEverAsked = true;
        }
        long wanted = Math.max(1, (estimate + MAX_PER_RECEIVE - 1) / MAX_PER_RECEIVE);
        if (allFull) {
            wanted = Math.max(wanted, 2L * last.readers());
        }
        return (int) Math.min(maxReaders, wanted);
    }

    private long depth() {
        String value = sqs.getQueueAttributes(
                        b -> b.queueUrl(queue.url()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        long depth = value == null ? 0 : Long.parseLong(value);
        metrics.depth(queue.name(), depth);
        return depth;
    }

    /** Runs the readers of one iteration and waits for their receives (not for the sends). */
    private Received iteration(int readers, int waitSeconds) {
        CountDownLatch done = new CountDownLatch(readers);
        List<RuntimeException> failures = new ArrayList<>();
        AtomicInteger messages = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        for (int i = 0; i < readers; i++) {
            Thread.ofVirtual().name("herald-reader-" + queue.name()).start(() -> {
                try {
                    int got = readOnce(waitSeconds);
                    messages.addAndGet(got);
                    if (got == MAX_PER_RECEIVE) {
                        full.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
        if (!failures.isEmpty() && failures.size() == readers) {
            throw failures.getFirst();
        }
        return new Received(readers, messages.get(), full.get());
    }

    /** @return the messages received (0 when stopped before receiving) */
    private int readOnce(int waitSeconds) {
        if (!enterWait()) {
            return 0;
        }
        List<Message> messages;
        try {
            inFlight.acquire(MAX_PER_RECEIVE);
        } catch (InterruptedException e) {
            leaveWait();
            return 0;
        }
        leaveWait();
        try {
            messages = sqs.receiveMessage(b -> b.queueUrl(queue.url())
                            .maxNumberOfMessages(MAX_PER_RECEIVE)
                            .waitTimeSeconds(waitSeconds)
                            // SentTimestamp feeds the queue's oldest-age report: the age comes with the receive, no
                            // peek.
                            .messageSystemAttributeNames(
                                    MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                    MessageSystemAttributeName.SENT_TIMESTAMP)
                            .messageAttributeNames("All"))
                    .messages();
        } catch (SdkException e) {
            inFlight.giveBack(MAX_PER_RECEIVE);
            throw e;
        }
        inFlight.giveBack(MAX_PER_RECEIVE - messages.size());
        if (!messages.isEmpty()) {
            oldest.saw(queue.name(), messages);
            messages.forEach(m -> inFlight.hold(queue, m));
            dispatcher.dispatch(queue, messages);
        }
        return messages.size();
    }

    /** Waits while everything is paused; stopping cuts the wait short. */
    private void rest(Duration wait) {
        if (!enterWait()) {
            return;
        }
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            // stopping
        } finally {
            leaveWait();
        }
    }

    private boolean enterWait() {
        stateLock.lock();
        try {
            if (stopping) {
                return false;
            }
            waiting.add(Thread.currentThread());
            return true;
        } finally {
            stateLock.unlock();
        }
    }

    private void leaveWait() {
        stateLock.lock();
        try {
            waiting.remove(Thread.currentThread());
            Thread.interrupted();
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Stops reading: no new receive starts, readers waiting for room give up, and a receive in progress finishes
     * (within the long-poll wait) with its messages dispatched.
     */
    void stop() {
        stateLock.lock();
        try {
            stopping = true;
            waiting.forEach(Thread::interrupt);
        } finally {
            stateLock.unlock();
        }
    }
}
