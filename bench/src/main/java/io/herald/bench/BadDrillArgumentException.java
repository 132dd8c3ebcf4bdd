package io.herald.bench;

/** A drill was given an option it does not know or a value it cannot use; the message says which. */
public final class BadDrillArgumentException extends IllegalArgumentException {

    public BadDrillArgumentException(String message) {
        super(message);
    }
}
