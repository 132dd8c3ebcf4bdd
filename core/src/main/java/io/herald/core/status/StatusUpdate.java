package io.herald.core.status;

import io.herald.core.callback.CallbackTargets;
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
 * @param senderDomain the domain of the message's sender, kept with its status so that feedback about the message (a
 *     bounce, a complaint), which names only its id, is counted per sender domain; null when the update does not say
 *     (it leaves the stored one)
 */
public record StatusUpdate(
        String messageId, DeliveryState state, Instant at, String owner, String callbackUrl, String senderDomain) {

    public StatusUpdate {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }

    /** An update that leaves the sender domain as stored. */
    public StatusUpdate(String messageId, DeliveryState state, Instant at, String owner, String callbackUrl) {
        this(messageId, state, at, owner, callbackUrl, null);
    }

    /** An update with no callback to post. */
    public StatusUpdate(String messageId, DeliveryState state, Instant at, String owner) {
        this(messageId, state, at, owner, null, null);
    }

    /** An update that leaves the owner as stored. */
    public StatusUpdate(String messageId, DeliveryState state, Instant at) {
        this(messageId, state, at, null, null, null);
    }

    /** The same transition, posted to {@code url} (null: none). */
    public StatusUpdate withCallbackUrl(String url) {
        return new StatusUpdate(messageId, state, at, owner, url, senderDomain);
    }

    /** The same transition, naming the domain of the message's sender (see {@link #senderDomain}). */
    public StatusUpdate withSenderDomain(String domain) {
        return new StatusUpdate(messageId, state, at, owner, callbackUrl, domain);
    }

    /**
     * Names the callback URL by scheme, host and port only: its path and query may hold the receiver's token, and a
     * status update is the kind of value that ends up in a log line or a test's failure message.
     */
    @Override
    public String toString() {
        return "StatusUpdate[messageId=" + messageId + ", state=" + state + ", at=" + at + ", owner=" + owner
                + ", callbackUrl=" + (callbackUrl == null ? null : CallbackTargets.shown(callbackUrl))
                + ", senderDomain=" + senderDomain + "]";
    }
}
