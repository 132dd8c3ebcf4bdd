package io.herald.core.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One transition of one message: it reached {@code state} at {@code at}.
 *
 * @param owner who may read this message's status besides admins: the name of the API key that sent it, written with
 *     its first state; null when the update does not say (the pipeline's updates never do, and they leave the stored
 *     owner as it is)
 */
public record StatusUpdate(String messageId, DeliveryState state, Instant at, String owner) {

    public StatusUpdate {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }

    /** An update that leaves the owner as stored. */
    public StatusUpdate(String messageId, DeliveryState state, Instant at) {
        this(messageId, state, at, null);
    }
}
