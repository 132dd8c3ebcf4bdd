package io.herald.api;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A key's rate limit: {@code capacity} requests per {@code period}, refilled continuously, so a key
 * that was quiet may spend a full period's worth at once and then one request per
 * {@code period / capacity}. Continuous refill gives a client an exact Retry-After instead of
 * "wait for the next window".
 */
final class TokenBucket {

    private final int capacity;
    private final double nanosPerToken;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    /** @param nanoTime a monotonic clock ({@link System#nanoTime} outside tests) */
    TokenBucket(int capacity, Duration period, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.nanosPerToken = (double) period.toNanos() / capacity;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** @return empty when the request may go ahead (and is counted), else how long until it could */
    synchronized Optional<Duration> take() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / nanosPerToken);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) * nanosPerToken)));
    }
}
