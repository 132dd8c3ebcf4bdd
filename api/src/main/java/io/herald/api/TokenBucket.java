package io.herald.api;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A key's rate limit: {@code capacity} requests (or messages) per {@code period}, refilled continuously, so a key that
 * was quiet may spend a full period's worth at once and then one request per {@code period / capacity}. Continuous
 * refill gives a client an exact Retry-After instead of "wait for the next window".
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
    Optional<Duration> take() {
        return take(1);
    }

    /**
     * Takes {@code count} tokens at once or none: a request for ten messages is refused whole rather than half-sent.
     *
     * @param count at most the capacity, or it could never be granted
     * @return empty when granted, else how long until {@code count} tokens will be there
     */
    synchronized Optional<Duration> take(int count) {
        if (count < 1 || count > capacity) {
            throw new IllegalArgumentException("count must be 1 to " + capacity + ", got " + count);
        }
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / nanosPerToken);
        refilledAt = now;
        if (tokens >= count) {
            tokens -= count;
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) Math.ceil((count - tokens) * nanosPerToken)));
    }

    /** Whether the bucket has refilled completely: its owner was quiet for a whole period and may be forgotten. */
    synchronized boolean isFull() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / nanosPerToken);
        refilledAt = now;
        return tokens >= capacity;
    }

    /** Gives back tokens taken for work that did not happen (messages SQS did not take), up to the capacity. */
    synchronized void giveBack(int count) {
        tokens = Math.min(capacity, tokens + count);
    }
}
