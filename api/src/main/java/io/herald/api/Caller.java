package io.herald.api;

import io.herald.core.config.ApiKeyEntry;

import java.util.Optional;

/**
 * Who sent a request: the API key it presented, or nobody in particular when the API runs open.
 *
 * @param name  the key's name (logs, metrics, the envelope's origin), or {@code anonymous}
 * @param key   the key, empty when the API runs open
 */
record Caller(String name, Optional<ApiKeyEntry> key) {

    static final Caller ANONYMOUS = new Caller("anonymous", Optional.empty());

    static Caller of(ApiKeyEntry key) {
        return new Caller(key.name(), Optional.of(key));
    }

    /** Open mode (local mode, trusted networks) lets anyone do anything, the operator endpoints included. */
    boolean isAdmin() {
        return key.map(ApiKeyEntry::isAdmin).orElse(true);
    }

    /** Open mode lets anyone send as anyone: that is what "open" means, and why local mode says so. */
    boolean maySendAs(String address) {
        return key.map(k -> k.allowsSender(address)).orElse(true);
    }
}
