package io.herald.core.preferences;

import java.time.Instant;

/**
 * What makes a magic link single-use: the first exchange of a link's nonce wins, every later one (a second tab, a
 * forwarded mail, an attacker replaying a link seen in a log) loses. Held in the status table; a store that cannot be
 * reached throws {@link PreferencesStoreException}.
 */
public interface LinkNonces {

    /**
     * @param nonce the link's random nonce
     * @param expiresAt when the link stops being valid anyway; the record may be forgotten after it
     * @return true for the first call with this nonce, false for every later one
     */
    boolean consume(String nonce, Instant expiresAt);
}
