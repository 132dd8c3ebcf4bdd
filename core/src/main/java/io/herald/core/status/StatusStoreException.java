package io.herald.core.status;

/** The status store could not be reached or refused a request; the caller logs it and carries on. */
public final class StatusStoreException extends RuntimeException {

    public StatusStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
