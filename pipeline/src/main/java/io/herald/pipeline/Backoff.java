package io.herald.pipeline;

import java.time.Duration;

/**
 * How long a message that failed for a passing reason stays hidden before its next attempt:
 * {@code base × 2^(attempt-1)}, capped at {@code max}, with jitter over the upper half so that
 * messages that failed together do not all come back together. A provider's own "retry after"
 * wins when it asks for longer.
 */
record Backoff(Duration base, Duration max) {

    /**
     * @param attempt  1 for the first failed attempt
     * @param asked    the delay the provider asked for (zero when it did not)
     * @param random   a number in [0, 1)
     */
    Duration delay(int attempt, Duration asked, double random) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 30);
        long ceiling = Math.min(max.toMillis(), base.toMillis() << doublings);
        if (ceiling < 0) {
            ceiling = max.toMillis();
        }
        long jittered = ceiling / 2 + (long) (random * (ceiling - ceiling / 2));
        return Duration.ofMillis(Math.max(jittered, asked.toMillis()));
    }
}
