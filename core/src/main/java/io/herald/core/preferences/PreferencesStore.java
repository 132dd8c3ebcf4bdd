package io.herald.core.preferences;

import java.util.Optional;

/**
 * Users' preferences, one entry per Unix user. The forwarder reads, admins write; a store that cannot be reached throws
 * {@link PreferencesStoreException} (the caller decides whether to wait).
 */
public interface PreferencesStore {

    Optional<UserPreferences> find(String user);

    /** Replaces the user's preferences; {@code prefs} carry who saves and when. */
    void save(UserPreferences prefs);

    /** @return whether there were preferences to delete */
    boolean delete(String user);
}
