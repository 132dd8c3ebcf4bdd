package io.herald.core.callback;

import io.herald.core.status.DeliveryState;
import io.herald.core.status.FeedbackOutcome;
import io.herald.core.status.FeedbackStep;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusUpdate;
import io.herald.core.status.Timeline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StatusStore} that also puts each recorded status change of a message with a callback URL on the callbacks
 * queue: the one place every producer of statuses already passes (the API's {@code queued}, the pipeline's buffered
 * writes, delivery feedback). The URL comes with the update where the envelope is at hand; a bounce or complaint,
 * recorded from feedback that knows only the message id, finds it stored with the message's status (one read, for those
 * rare states only). An update without a URL costs nothing more than the check that it has none.
 *
 * <p>A callback is queued after its status is written, so a callback never announces a state the store does not hold. A
 * queue that fails loses those callbacks (counted, logged without URLs) but never the status write or the delivery.
 */
public final class CallbackStatusStore implements StatusStore {

    private static final Logger log = LoggerFactory.getLogger(CallbackStatusStore.class);

    private final StatusStore store;
    private final CallbackQueue queue;
    private final Counter queued;
    private final Counter notQueued;

    public CallbackStatusStore(StatusStore store, CallbackQueue queue, MeterRegistry registry) {
        this.store = store;
        this.queue = queue;
        this.queued = Counter.builder("herald.callbacks.queued")
                .description("Status callbacks put on the callbacks queue")
                .register(registry);
        this.notQueued = Counter.builder("herald.callbacks.not.queued")
                .description("Status callbacks lost because the callbacks queue did not take them")
                .register(registry);
    }

    @Override
    public void record(StatusUpdate update) {
        store.record(update);
        post(List.of(update));
    }

    @Override
    public void recordAll(List<StatusUpdate> updates) {
        store.recordAll(updates);
        post(updates);
    }

    @Override
    public void recordNew(List<StatusUpdate> updates) {
        store.recordNew(updates);
        post(updates);
    }

    @Override
    public void reopen(List<StatusUpdate> updates) {
        store.reopen(updates);
        post(updates);
    }

    /** Forwarded, so the store's atomic rule applies; a state the feedback changed is posted like any other. */
    @Override
    public FeedbackOutcome recordFeedback(FeedbackStep step) {
        FeedbackOutcome outcome = store.recordFeedback(step);
        if (outcome instanceof FeedbackOutcome.Recorded recorded
                && recorded.stateChanged()
                && step.newState() != null) {
            post(List.of(new StatusUpdate(step.messageId(), step.newState(), step.at())));
        }
        return outcome;
    }

    @Override
    public Timeline timeline(String messageId) {
        return store.timeline(messageId);
    }

    @Override
    public Optional<StatusUpdate> find(String messageId) {
        return store.find(messageId);
    }

    @Override
    public List<StatusUpdate> history(String messageId) {
        return store.history(messageId);
    }

    @Override
    public void recordCallbackGivenUp(String messageId, String note) {
        store.recordCallbackGivenUp(messageId, note);
    }

    @Override
    public Optional<String> callbackGivenUp(String messageId) {
        return store.callbackGivenUp(messageId);
    }

    private void post(List<StatusUpdate> updates) {
        List<CallbackEvent> events = null;
        for (StatusUpdate update : updates) {
            String url = update.callbackUrl();
            if (url == null && isFeedback(update.state())) {
                url = storedUrl(update.messageId());
            }
            if (url != null) {
                if (events == null) {
                    events = new ArrayList<>();
                }
                events.add(CallbackEvent.of(update, url));
            }
        }
        if (events == null) {
            return;
        }
        try {
            queue.enqueue(events);
            queued.increment(events.size());
        } catch (RuntimeException e) {
            notQueued.increment(events.size());
            log.warn(
                    "{} status callback(s) not queued, first {}: {}", events.size(), events.getFirst(), e.getMessage());
        }
    }

    /** Feedback knows the message id only; the other states are recorded where the envelope is at hand. */
    private static boolean isFeedback(DeliveryState state) {
        return state instanceof DeliveryState.Bounced || state instanceof DeliveryState.Complained;
    }

    private String storedUrl(String messageId) {
        try {
            return store.find(messageId).map(StatusUpdate::callbackUrl).orElse(null);
        } catch (RuntimeException e) {
            log.warn("callback of {} not queued: its status cannot be read: {}", messageId, e.getMessage());
            notQueued.increment();
            return null;
        }
    }
}
