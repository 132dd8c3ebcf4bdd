package io.herald.core.preferences;

/** The preferences store could not be reached, refused a request, or holds an entry that cannot be read. */
public final class PreferencesStoreException extends RuntimeException {

    public PreferencesStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
