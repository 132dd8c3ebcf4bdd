package io.herald.api;

import io.herald.core.envelope.Envelope;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Puts a request's envelopes on SQS (batched with other requests') and records each accepted one
 * as {@code queued}, so a client polling right after its answer finds the message.
 */
final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final BatchingEnqueuer enqueuer;
    private final StatusStore status;
    private final ApiMetrics metrics;

    Dispatcher(BatchingEnqueuer enqueuer, StatusStore status, ApiMetrics metrics) {
        this.enqueuer = enqueuer;
        this.status = status;
        this.metrics = metrics;
    }

    /** @return one result per envelope, in order */
    List<EnqueueResult> dispatch(BatchingEnqueuer.Arrival arrival, List<Envelope> envelopes) throws InterruptedException {
        List<EnqueueResult> results = enqueuer.enqueue(arrival, envelopes);
        for (int i = 0; i < results.size(); i++) {
            Envelope envelope = envelopes.get(i);
            if (results.get(i) instanceof EnqueueResult.Enqueued) {
                metrics.queued(envelope.channel());
                try {
                    // Stamped with the envelope's creation, which precedes anything the pipeline can record.
                    status.record(new StatusUpdate(envelope.id(), new DeliveryState.Queued(), envelope.createdAt()));
                } catch (RuntimeException e) {
                    // The message is on SQS and will be delivered; only its status is missing until the pipeline records one.
                    metrics.statusWriteFailed();
                    log.warn("status of {} not recorded as queued: {}", envelope.id(), e.getMessage());
                }
            }
        }
        return results;
    }
}
