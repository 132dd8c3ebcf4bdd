package io.herald.core.feedback;

/** Feedback could not be recorded now (a store is unreachable); the event must be offered again later. */
public class FeedbackStoreException extends RuntimeException {

    public FeedbackStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
