package io.herald.core.control;

/** The control store could not be reached or refused a request; a pipeline keeps its last known view. */
public final class ControlStoreException extends RuntimeException {

    public ControlStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
