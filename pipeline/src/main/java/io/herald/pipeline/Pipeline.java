package io.herald.pipeline;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.QueueRef;
import io.herald.pipeline.provider.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads every configured queue and delivers each message through the provider of its channel.
 *
 * <p>One reader per queue, each on a virtual thread, receiving up to 10 messages per long poll;
 * each message is sent on its own virtual thread with the configured send timeout, then settled
 * (deleted, released for a later retry, or dead-lettered with its reason). Nothing is deleted
 * unless it was delivered or safely copied to the dead-letter queue.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final List<QueueWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private final Duration stopDeadline;

    public Pipeline(SqsClient sqs, List<QueueRef> queues, List<Provider> providers, EnvelopeCodec codec,
                    HeraldConfig.Pipeline config) {
        Map<String, Provider> byChannel = new HashMap<>();
        for (Provider provider : providers) {
            Provider previous = byChannel.putIfAbsent(provider.channel(), provider);
            if (previous != null) {
                // Several providers per channel, split by health, arrive with the health-aware split.
                throw new IllegalArgumentException("two providers for channel '" + provider.channel() + "': "
                        + previous.name() + " and " + provider.name());
            }
        }
        MessageSettler settler = new MessageSettler(sqs);
        for (QueueRef queue : queues) {
            workers.add(new QueueWorker(sqs, queue, Map.copyOf(byChannel), codec, settler, sends,
                    config.sendTimeout(), config.receiveWait()));
        }
        this.stopDeadline = config.sendTimeout().plusSeconds(5);
    }

    public void start() {
        for (QueueWorker worker : workers) {
            threads.add(Thread.ofVirtual().name("herald-reader-" + worker.queueName()).start(worker));
        }
        log.info("pipeline reading {} queue(s)", workers.size());
    }

    /** Stops reading, lets messages already received finish and settle, then returns. */
    @Override
    public void close() {
        workers.forEach(QueueWorker::stop);
        long deadline = System.nanoTime() + stopDeadline.toNanos();
        for (Thread thread : threads) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0 && !thread.join(Duration.ofNanos(left))) {
                    log.warn("reader {} did not stop within {}; its messages reappear after the visibility timeout",
                            thread.getName(), stopDeadline);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sends.shutdownNow();
    }
}
