package io.herald.pipeline;

import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.QueueStats;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The dead-letter queues' depth and oldest age for {@code /metrics}, asked of SQS by {@link QueueStats#deadLetters} at
 * most once per {@code control.heartbeatInterval} however often Prometheus scrapes, and only when something scrapes: an
 * unwatched pipeline costs SQS nothing more.
 */
final class DeadLetterGauge {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterGauge.class);

    private final SqsClient sqs;
    private final List<QueueRef> queues;
    private final long maxAgeNanos;
    private final Clock clock;
    private final Map<String, QueueStats.Depth> last = new ConcurrentHashMap<>();
    private long readAtNanos;
    private boolean everRead;
    private boolean failing;

    DeadLetterGauge(SqsClient sqs, List<QueueRef> queues, Duration maxAge, Clock clock) {
        this.sqs = sqs;
        this.queues = List.copyOf(queues);
        this.maxAgeNanos = maxAge.toNanos();
        this.clock = clock;
    }

    /** Messages waiting in the work queue's dead-letter queue; NaN until SQS answered once. */
    double depth(String queue) {
        QueueStats.Depth d = current(queue);
        return d == null ? Double.NaN : d.depth();
    }

    /** Seconds since the oldest of them was sent; NaN while unknown (see {@link QueueStats.AgeFrom}). */
    double oldestAgeSeconds(String queue) {
        QueueStats.Depth d = current(queue);
        return d == null || d.oldestAgeSeconds() == null ? Double.NaN : d.oldestAgeSeconds();
    }

    private QueueStats.Depth current(String queue) {
        refreshIfStale();
        return last.get(queue);
    }

    /** One scrape asks for every gauge in turn: the first refreshes, the others read what it got. */
    private synchronized void refreshIfStale() {
        if (everRead && System.nanoTime() - readAtNanos < maxAgeNanos) {
            return;
        }
        try {
            List<QueueStats.Depth> read = QueueStats.deadLetters(sqs, queues, clock.instant());
            for (int i = 0; i < queues.size(); i++) {
                last.put(queues.get(i).name(), read.get(i));
            }
            if (failing) {
                failing = false;
                log.info("dead-letter queues readable again: their gauges are current");
            }
        } catch (RuntimeException e) {
            // Unknown is shown as unknown, not as the last value that may have changed since.
            last.clear();
            if (!failing) {
                failing = true;
                log.warn(
                        "cannot read the dead-letter queues, their gauges show NaN until they can: {}", e.getMessage());
            }
        } finally {
            readAtNanos = System.nanoTime();
            everRead = true;
        }
    }
}
