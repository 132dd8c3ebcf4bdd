package io.herald.api;

import io.herald.core.envelope.Envelope;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusUpdate;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a request's envelopes on SQS, batched with other requests', each envelope recorded as {@code queued} first (in
 * status writes shared by concurrent requests, see {@link BatchingEnqueuer}), so a client polling right after its
 * answer finds the message.
 */
final class RequestEnqueuer {

    private static final Logger log = LoggerFactory.getLogger(RequestEnqueuer.class);

    private final BatchingEnqueuer enqueuer;
    private final ApiMetrics metrics;

    /**
     * @param batchWait longest a batch waits for requests on their way
     * @param maxInFlight SendMessageBatch calls out at once
     */
    RequestEnqueuer(
            SqsProducer producer,
            List<QueueRef> queues,
            Duration batchWait,
            int maxInFlight,
            StatusStore status,
            ApiMetrics metrics) {
        this.metrics = metrics;
        this.enqueuer = new BatchingEnqueuer(
                producer,
                queues,
                batchWait,
                maxInFlight,
                batch -> recordQueued(status, metrics, batch),
                metrics::batch);
    }

    /** See {@link BatchingEnqueuer#expect()}. */
    BatchingEnqueuer.Arrival expect() {
        return enqueuer.expect();
    }

    /** @return one result per envelope, in order */
    List<EnqueueResult> dispatch(BatchingEnqueuer.Arrival arrival, List<Envelope> envelopes)
            throws InterruptedException {
        List<EnqueueResult> results = enqueuer.enqueue(arrival, envelopes);
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof EnqueueResult.Enqueued) {
                metrics.queued(envelopes.get(i).channel());
            }
        }
        return results;
    }

    /**
     * Records a status batch as queued before any of it goes to SQS: the pipeline cannot have seen these ids yet, so
     * one unconditional write covers the batch and cannot overwrite a later state. Should SQS then refuse a message,
     * its "queued" item names an id nobody was given; it expires with the TTL.
     */
    private static void recordQueued(StatusStore status, ApiMetrics metrics, List<Envelope> batch) {
        metrics.statusBatch(batch.size());
        try {
            status.recordNew(batch.stream()
                    .map(e -> new StatusUpdate(
                            e.id(),
                            new DeliveryState.Queued(),
                            e.createdAt(),
                            e.origin() == null ? null : e.origin().principal(),
                            e.callbackUrl()))
                    .toList());
        } catch (RuntimeException e) {
            // The messages are still sent and delivered; only their status is missing until the pipeline records one.
            metrics.statusWriteFailed();
            log.warn("status of {} messages not recorded as queued: {}", batch.size(), e.getMessage());
        }
    }
}
