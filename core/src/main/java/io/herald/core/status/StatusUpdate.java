package io.herald.core.status;

import java.time.Instant;
import java.util.Objects;

/** One transition of one message: it reached {@code state} at {@code at}. */
public record StatusUpdate(String messageId, DeliveryState state, Instant at) {

    public StatusUpdate {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }
}
