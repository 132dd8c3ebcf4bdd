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
