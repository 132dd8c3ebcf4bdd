package io.herald.core.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One transition of one message: it reached {@code state} at {@code at}.
 *
 * @param owner who may read this message's status besides admins: the name of the API key that sent it, written with
 *     its first state; null when the update does not say (the pipeline's updates never do, and they leave the stored
 *     owner as it is)
 * @param senderDomain the domain of the message's sender, kept so that feedback about the message (a bounce, a
 *     complaint) can be counted per sender domain; null when the update does not say (it leaves the stored one)
 */
public record StatusUpdate(String messageId, DeliveryState state, Instant at, String owner, String senderDomain) {

    public StatusUpdate {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }

    /** An update that leaves the sender domain as stored. */
    public StatusUpdate(String messageId, DeliveryState state, Instant at, String owner) {
        this(messageId, state, at, owner, null);
    }

    /** An update that leaves the owner and the sender domain as stored. */
    public StatusUpdate(String messageId, DeliveryState state, Instant at) {
        this(messageId, state, at, null, null);
    }

    /** This update, naming the domain of the message's sender (see {@link #senderDomain}). */
    public StatusUpdate withSenderDomain(String domain) {
        return new StatusUpdate(messageId, state, at, owner, domain);
    }
}
