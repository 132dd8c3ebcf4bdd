package io.herald.core.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One transition of one message: it reached {@code state} at {@code at}.
 *
 * @param owner who may read this message's status besides admins: the name of the API key that sent it, written with
 *     its first state; null when the update does not say (the pipeline's updates never do, and they leave the stored
 *     owner as it is)
 * @param callbackUrl where this transition is posted as a signed callback (the envelope's {@code callbackUrl}); null
 *     when the update does not say. Kept with the message's status, never shown, so a transition recorded where only
 *     the id is known (delivery feedback) can still be posted
 */
public record StatusUpdate(String messageId, DeliveryState state, Instant at, String owner, String callbackUrl) {

    public StatusUpdate {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }

    /** An update with no callback to post. */
    public StatusUpdate(String messageId, DeliveryState state, Instant at, String owner) {
        this(messageId, state, at, owner, null);
    }

    /** An update that leaves the owner as stored. */
    public StatusUpdate(String messageId, DeliveryState state, Instant at) {
        this(messageId, state, at, null, null);
    }

    /** The same transition, posted to {@code url} (null: none). */
    public StatusUpdate withCallbackUrl(String url) {
        return new StatusUpdate(messageId, state, at, owner, url);
    }
}
