package io.herald.pipeline;

import io.herald.core.sqs.QueueRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads one queue in iterations until stopped. Each iteration asks SQS how many messages wait
 * (ApproximateNumberOfMessages) and runs {@code ceil(depth / 10)} readers at once, at most
 * {@code maxReaders}, each receiving up to 10. A queue that looks empty gets one long poll, so an
 * idle pipeline makes about three receives per queue per minute; a busy one waits at most a
 * second per receive. Stopping waits for a long poll in progress (see {@link #stop()}). Before receiving, a reader takes room for 10 messages in {@link InFlight}:
 * when sends fall behind, reading waits instead of piling up messages.
 *
 * <p>Each iteration starts by bringing pauses and shared health up to date ({@link PipelineControl#refresh}).
 * While no channel can be sent (every one paused, or all of its providers), the queue is not
 * read at all, not even for its depth: messages wait in SQS, and the reader looks again after
 * {@code control.refreshInterval}.
 */
final class QueueReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(QueueReader.class);
    private static final int MAX_PER_RECEIVE = 10;
    private static final int BUSY_WAIT_SECONDS = 1;
    private static final Duration MAX_ERROR_PAUSE = Duration.ofSeconds(30);

    private final SqsClient sqs;
    private final QueueRef queue;
    private final InFlight inFlight;
    private final Dispatcher dispatcher;
    private final PipelineMetrics metrics;
    private final int maxReaders;
    private final int idleWaitSeconds;
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

    QueueReader(SqsClient sqs, QueueRef queue, InFlight inFlight, Dispatcher dispatcher, PipelineMetrics metrics,
                int maxReaders, Duration idleWait, PipelineControl control, OldestReceived oldest) {
        this.sqs = sqs;
        this.queue = queue;
        this.inFlight = inFlight;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.maxReaders = maxReaders;
        this.idleWaitSeconds = (int) idleWait.toSeconds();
        this.control = control;
        this.oldest = oldest;
    }

    String queueName() {
        return queue.name();
    }

    @Override
    public void run() {
        Duration pause = Duration.ofMillis(200);
        while (!stopping) {
            control.refresh();
            if (!control.anyChannelOpen()) {
                rest(control.refreshInterval());
                continue;
            }
            try {
                long depth = depth();
                int readers = depth <= 0 ? 1 : (int) Math.min(maxReaders, (depth + MAX_PER_RECEIVE - 1) / MAX_PER_RECEIVE);
                int waitSeconds = depth <= 0 ? idleWaitSeconds : Math.min(BUSY_WAIT_SECONDS, idleWaitSeconds);
                iteration(readers, waitSeconds);
                pause = Duration.ofMillis(200);
            } catch (SdkException e) {
                if (stopping) {
                    return;
                }
                log.warn("reading {} failed, trying again in {}: {}", queue.name(), pause, e.getMessage());
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(MAX_ERROR_PAUSE) > 0 ? MAX_ERROR_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private long depth() {
        String value = sqs.getQueueAttributes(b -> b.queueUrl(queue.url())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        long depth = value == null ? 0 : Long.parseLong(value);
        metrics.depth(queue.name(), depth);
        return depth;
    }

    /** Runs the readers of one iteration and waits for their receives (not for the sends). */
    private void iteration(int readers, int waitSeconds) {
        CountDownLatch done = new CountDownLatch(readers);
        List<RuntimeException> failures = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            Thread.ofVirtual().name("herald-reader-" + queue.name()).start(() -> {
                try {
                    readOnce(waitSeconds);
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
    }

    private void readOnce(int waitSeconds) {
        if (!enterWait()) {
            return;
        }
        List<Message> messages;
        try {
            inFlight.acquire(MAX_PER_RECEIVE);
        } catch (InterruptedException e) {
            leaveWait();
            return;
        }
        leaveWait();
        try {
            messages = sqs.receiveMessage(b -> b.queueUrl(queue.url())
                    .maxNumberOfMessages(MAX_PER_RECEIVE)
                    .waitTimeSeconds(waitSeconds)
                    // SentTimestamp feeds the queue's oldest-age report: the age comes with the receive, no peek.
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                            MessageSystemAttributeName.SENT_TIMESTAMP)
                    .messageAttributeNames("All")).messages();
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
     * Stops reading: no new receive starts, readers waiting for room give up, and a receive in
     * progress finishes (within the long-poll wait) with its messages dispatched.
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

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
