package io.herald.core.status;

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

    /** @return the newest recorded state of the message, if any */
    Optional<StatusUpdate> find(String messageId);
}
