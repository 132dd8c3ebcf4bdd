package io.herald.core.retry;

import java.time.Duration;

/** The one "sleep between tries" of the codebase, instead of a private copy per retry loop. */
public final class Sleeps {

    private Sleeps() {}

    /**
     * Sleeps for {@code duration} (nothing when zero or negative).
     *
     * @return false when interrupted: the interrupt flag is set again, so the caller's loop (and whatever waits on it
     *     next) still sees that it is asked to stop
     */
    public static boolean quietly(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return true;
        }
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
