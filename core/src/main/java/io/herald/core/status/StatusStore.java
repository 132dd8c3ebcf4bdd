package io.herald.core.status;

import java.util.List;
import java.util.Optional;

/**
 * Remembers where each message is, so an API client can ask. Written by producers and the pipeline, read by the API.
 *
 * <p>Implementations keep the newest state: an update older than the one stored is ignored, and a final state is never
 * replaced, because pipeline instances may record out of order. Recording must not fail delivery: an unreachable store
 * is logged by the caller, not fatal.
 */
public interface StatusStore {

    void record(StatusUpdate update);

    /**
     * Records many updates as {@link #record} would, each with the same newest-wins and final-stays rules, in as few
     * requests as the store allows: the pipeline buffers its updates and writes them this way, off the path of each
     * send. Several updates of one message may be among them.
     *
     * @throws StatusStoreException when the store cannot be reached; some of the updates may have been recorded, so the
     *     caller may write them all again: a repeated update lands as the same state (its history step at worst twice)
     */
    default void recordAll(List<StatusUpdate> updates) {
        updates.forEach(this::record);
    }

    /**
     * Records the first state of messages nobody can know of yet: new ids, not yet handed to SQS. As nothing else can
     * have recorded them, the store may write them all at once without the newest-wins checks. A producer calls this
     * before it sends, never after.
     */
    default void recordNew(List<StatusUpdate> updates) {
        updates.forEach(this::record);
    }

    /**
     * Starts messages over that are sent again (a dead-letter redrive): each gets its update's state whatever is
     * stored, final or not, so the states of its new attempts are recorded after it. Like {@link #recordNew}, a
     * producer calls this before it sends, never after, or it could overwrite what the pipeline already recorded of the
     * new attempt.
     *
     * <p>The default records each update as {@link #record} does, which leaves a final state in place; a store that can
     * replace one unconditionally overrides it, as DynamoDB's does.
     */
    default void reopen(List<StatusUpdate> updates) {
        updates.forEach(this::record);
    }

    /** @return the newest recorded state of the message, if any */
    Optional<StatusUpdate> find(String messageId);

    /**
     * Records what a provider reported about a message after accepting it: the step joins the message's feedback
     * history, and its new state (bounced or complained), if any, replaces the stored one by these rules, which differ
     * from {@link #record}'s because feedback comes later and from elsewhere (the provider's clock, not ours):
     *
     * <ul>
     *   <li>it replaces {@code delivered}, any state that is not final, and no state at all (a bounce may well arrive
     *       before the pipeline's buffered {@code delivered} is written; that one then loses, as a final state stays);
     *   <li>a worse verdict replaces a milder one, never the other way round: soft bounce, then hard bounce, then
     *       complaint;
     *   <li>it never replaces {@code rejected}, {@code dead-lettered} or {@code suppressed}: no provider accepted such
     *       a message, so feedback about its id only joins the history.
     * </ul>
     *
     * <p>Recording the same event (same {@link FeedbackStep#eventId}) again changes nothing. The default is a fallback
     * for stores and decorators that do not implement this: it reads the stored state, decides by
     * {@link FeedbackStep#replaces} and writes the new one with {@link #reopen} (which replaces a final state), so it
     * is not atomic, keeps no feedback list and tells a repeated event only by its state already being stored. A
     * decorator should forward this method to the store it wraps.
     *
     * @throws StatusStoreException when the store cannot be reached
     */
    default FeedbackOutcome recordFeedback(FeedbackStep step) {
        Optional<StatusUpdate> stored = find(step.messageId());
        if (step.newState() == null) {
            return stored.isEmpty()
                    ? new FeedbackOutcome.NoSuchMessage()
                    : new FeedbackOutcome.Recorded(false, stored.get().senderDomain());
        }
        if (stored.isPresent() && stored.get().state().equals(step.newState())) {
            return new FeedbackOutcome.AlreadyRecorded(stored.get().senderDomain());
        }
        if (stored.isPresent() && !step.replaces(stored.get().state())) {
            return new FeedbackOutcome.Recorded(false, stored.get().senderDomain());
        }
        reopen(List.of(new StatusUpdate(step.messageId(), step.newState(), step.at())));
        return new FeedbackOutcome.Recorded(
                true, stored.map(StatusUpdate::senderDomain).orElse(null));
    }

    /**
     * The message's states and its feedback, each with its time; empty lists when the store has no such message. The
     * default knows no feedback.
     */
    default Timeline timeline(String messageId) {
        return new Timeline(history(messageId), List.of());
    }

    /**
     * Every state the message was recorded in, oldest first, the newest last (the one {@link #find} answers). The
     * default knows only the newest; a redrive starts the list over.
     */
    default List<StatusUpdate> history(String messageId) {
        return find(messageId).map(List::of).orElse(List.of());
    }

    /**
     * Notes that the signed callback of one of the message's status changes was given up on after its retries, in words
     * for the operator ({@code note} names the state and the last error, never the URL). The default keeps nothing.
     */
    default void recordCallbackGivenUp(String messageId, String note) {}

    /** @return what {@link #recordCallbackGivenUp} noted last for the message, if anything */
    default Optional<String> callbackGivenUp(String messageId) {
        return Optional.empty();
    }
}
