package io.herald.mailprog.forward;

/** Told about every pass the {@link ForwarderDaemon} runs (its metrics, for one). */
public interface PassObserver {

    /** A pass ran; {@code result} says what it did. */
    void passed(PassResult result);

    /** A pass ended with an exception; the records are still in the spool. */
    void crashed(RuntimeException e);

    /** For a daemon nobody watches. */
    static PassObserver none() {
        return new PassObserver() {
            @Override
            public void passed(PassResult result) {}

            @Override
            public void crashed(RuntimeException e) {}
        };
    }
}
