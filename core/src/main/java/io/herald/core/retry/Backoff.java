package io.herald.core.retry;

import java.time.Duration;

/**
 * Herald's one backoff: {@code base × 2^(attempt-1)}, capped at {@code max}. Every retry loop uses it (the pipeline's
 * hidden-message retries, its SQS and status-store errors, the forwarder's SQS waits, the Telegram bot's polling
 * errors), so "how long until the next try" is decided in one place and reads the same in every log line.
 *
 * <p>{@link #delay} adds jitter over the upper half, for many messages that failed together and must not all come back
 * together; {@link #step} is the plain doubling, for a single loop that waits for one thing to recover.
 */
public record Backoff(Duration base, Duration max) {

    /**
     * The plain doubling: {@code base}, twice that, … up to {@code max}.
     *
     * @param attempt 1 for the first failed attempt
     */
    public Duration step(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 30);
        long ceiling = base.toMillis() << doublings;
        return ceiling < 0 || ceiling > max.toMillis() ? max : Duration.ofMillis(ceiling);
    }

    /**
     * The doubling with jitter over its upper half; a provider's own "retry after" wins when it asks for longer.
     *
     * @param attempt 1 for the first failed attempt
     * @param asked the delay the provider asked for (zero when it did not)
     * @param random a number in [0, 1)
     */
    public Duration delay(int attempt, Duration asked, double random) {
        long ceiling = step(attempt).toMillis();
        long jittered = ceiling / 2 + (long) (random * (ceiling - ceiling / 2));
        return Duration.ofMillis(Math.max(jittered, asked.toMillis()));
    }
}
