package io.herald.api;

import io.herald.core.config.ApiKeyEntry;
import io.herald.core.receiver.Receiver;
import io.herald.core.receiver.ReceiverAllowList;
import java.util.Optional;

/**
 * Who sent a request: the API key it presented, or nobody in particular when the API runs open.
 *
 * @param name the key's name (logs, the envelope's origin, status ownership), or {@code anonymous}
 * @param key the key, empty when the API runs open
 * @param receivers where the key may send, compiled once from its {@code receivers=} items
 */
record Caller(String name, Optional<ApiKeyEntry> key, ReceiverAllowList receivers) {

    static final Caller ANONYMOUS = new Caller("anonymous", Optional.empty(), ReceiverAllowList.allowAll());

    static Caller of(ApiKeyEntry key) {
        return new Caller(key.name(), Optional.of(key), ReceiverAllowList.complete(key.receivers()));
    }

    /** Open mode (local mode, trusted networks) lets anyone do anything, the operator endpoints included. */
    boolean isAdmin() {
        return key.map(ApiKeyEntry::isAdmin).orElse(true);
    }

    /** Open mode lets anyone send as anyone: that is what "open" means, and why local mode says so. */
    boolean maySendAs(String address) {
        return key.map(k -> k.allowsSender(address)).orElse(true);
    }

    /** Whether the key's {@code receivers=} items let it send to {@code receiver}; no items: anywhere. */
    boolean mayReach(Receiver receiver) {
        return receivers.allows(receiver.scheme(), receiver.target());
    }

    /** Receivers one request of this caller may name: the key's {@code maxReceivers=}, else the API's bound. */
    int maxReceivers(int apiBound) {
        return key.map(ApiKeyEntry::maxReceivers)
                .filter(n -> n > 0)
                .map(n -> Math.min(n, apiBound))
                .orElse(apiBound);
    }

    /** The most messages the key may send at once (its {@code messages=} burst); open mode: no limit. */
    int messageBurst() {
        return key.map(ApiKeyEntry::messageCount).orElse(Integer.MAX_VALUE);
    }

    /** What metrics call this caller: the key's id, which names neither the key nor its owner. */
    String metricsId() {
        return key.map(ApiKeyEntry::id).orElse(name);
    }
}
