package io.herald.core.idempotency;

/** The idempotency store could not be reached; the request cannot be processed safely. */
public final class IdempotencyStoreException extends RuntimeException {

    public IdempotencyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
