package io.herald.core.status;

import java.util.List;
import java.util.Optional;

/**
 * Remembers where each message is, so an API client can ask. Written by producers and the
 * pipeline, read by the API.
 *
 * <p>Implementations keep the newest state: an update older than the one stored is ignored, and
 * a final state is never replaced, because pipeline instances may record out of order.
 * Recording must not fail delivery: an unreachable store is logged by the caller, not fatal.
 */
public interface StatusStore {

    void record(StatusUpdate update);

    /**
     * Records the first state of messages nobody can know of yet: new ids, not yet handed to SQS.
     * As nothing else can have recorded them, the store may write them all at once without the
     * newest-wins checks. A producer calls this before it sends, never after.
     */
    default void recordNew(List<StatusUpdate> updates) {
        updates.forEach(this::record);
    }

    /** @return the newest recorded state of the message, if any */
    Optional<StatusUpdate> find(String messageId);
}
