package io.herald.pipeline;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.MalformedEnvelopeException;
import io.herald.core.sqs.QueueRef;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/** Reads one queue until stopped: receive up to 10, send each, settle each. */
final class QueueWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    private static final int MAX_MESSAGES_PER_RECEIVE = 10;
    private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(30);

    private final SqsClient sqs;
    private final QueueRef queue;
    private final Map<String, Provider> providers;
    private final EnvelopeCodec codec;
    private final MessageSettler settler;
    private final ExecutorService sends;
    private final Duration sendTimeout;
    private final Duration receiveWait;

    /*
     * Stopping interrupts the reader only while it waits in a long poll, never while it sends or
     * settles: an interrupt there would abort the SDK call that deletes delivered messages.
     */
    private final ReentrantLock stateLock = new ReentrantLock();
    private boolean stopping;
    private boolean receiving;
    private Thread runner;

    QueueWorker(SqsClient sqs, QueueRef queue, Map<String, Provider> providers, EnvelopeCodec codec,
                MessageSettler settler, ExecutorService sends, Duration sendTimeout, Duration receiveWait) {
        this.sqs = sqs;
        this.queue = queue;
        this.providers = providers;
        this.codec = codec;
        this.settler = settler;
        this.sends = sends;
        this.sendTimeout = sendTimeout;
        this.receiveWait = receiveWait;
    }

    String queueName() {
        return queue.name();
    }

    void stop() {
        stateLock.lock();
        try {
            stopping = true;
            if (receiving && runner != null) {
                runner.interrupt();
            }
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public void run() {
        Duration backoff = Duration.ofMillis(200);
        while (true) {
            List<Message> messages;
            if (!enterReceive()) {
                return;
            }
            try {
                messages = receive();
                backoff = Duration.ofMillis(200);
            } catch (SdkException e) {
                if (leaveReceive()) {
                    return;
                }
                log.warn("receive from {} failed, retrying in {}: {}", queue.name(), backoff, e.getMessage());
                sleep(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_ERROR_BACKOFF);
                continue;
            }
            leaveReceive();
            if (!messages.isEmpty()) {
                deliver(messages);
            }
        }
    }

    private boolean enterReceive() {
        stateLock.lock();
        try {
            runner = Thread.currentThread();
            receiving = !stopping;
            return receiving;
        } finally {
            stateLock.unlock();
        }
    }

    /** @return whether the worker is stopping; clears an interrupt meant for the long poll */
    private boolean leaveReceive() {
        stateLock.lock();
        try {
            receiving = false;
            Thread.interrupted();
            return stopping;
        } finally {
            stateLock.unlock();
        }
    }

    private List<Message> receive() {
        return sqs.receiveMessage(b -> b.queueUrl(queue.url())
                .maxNumberOfMessages(MAX_MESSAGES_PER_RECEIVE)
                .waitTimeSeconds((int) receiveWait.toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                .messageAttributeNames("All")).messages();
    }

    private void deliver(List<Message> messages) {
        List<Future<Outcome>> pending = new ArrayList<>(messages.size());
        for (Message message : messages) {
            pending.add(sends.submit(() -> send(message)));
        }
        List<MessageSettler.Settled> settled = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            settled.add(new MessageSettler.Settled(messages.get(i), await(pending.get(i))));
        }
        settler.settle(queue, settled);
    }

    private Outcome send(Message message) {
        Envelope envelope;
        try {
            envelope = codec.decode(message.body());
        } catch (MalformedEnvelopeException e) {
            return new Outcome.Rejected("malformed message: " + e.getMessage());
        }
        Provider provider = providers.get(envelope.channel());
        if (provider == null) {
            return new Outcome.Rejected("no provider configured for channel '" + envelope.channel() + "'");
        }
        try {
            Outcome outcome = provider.send(envelope);
            log.debug("{} via {}: {}", envelope.id(), provider.name(), outcome);
            return outcome;
        } catch (RuntimeException e) {
            // A provider bug must cost one retry, not the reader thread.
            log.error("provider {} threw for {}", provider.name(), envelope.id(), e);
            return new Outcome.Retry(Duration.ZERO, provider.name() + " failed: " + e.getClass().getSimpleName());
        }
    }

    private Outcome await(Future<Outcome> future) {
        try {
            return future.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome.Retry(Duration.ZERO, "send timed out after " + sendTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new Outcome.Retry(Duration.ZERO, "send failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new Outcome.Retry(Duration.ZERO, "pipeline stopping");
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
