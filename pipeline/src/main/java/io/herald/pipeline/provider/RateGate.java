package io.herald.pipeline.provider;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.herald.core.retry.Sleeps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps one provider within its rate limit, and slows it down when the provider says it is going too fast.
 *
 * <p>A resilience4j {@link RateLimiter} holds the configured limit; a send waits for a permit for at most half its
 * timeout, so the request itself keeps the other half. A 429 from the provider pauses every send of this provider until
 * the delay it asked for has passed (not only the one message's retry) and halves the rate; each period without a 429
 * then adds one request back, up to the configured limit again (additive increase, multiplicative decrease).
 */
public final class RateGate {

    private final RateLimiter limiter;
    private final int configuredLimit;
    private final Duration period;
    private final Duration maxWait;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    private Instant pausedUntil = Instant.MIN;
    private Instant lastChange = Instant.MIN;
    private int currentLimit;

    /**
     * @param name the provider's name, for the limiter
     * @param limit requests per period
     * @param period the period
     * @param timeout the provider's send timeout; half of it may be spent waiting here
     */
    public RateGate(String name, int limit, Duration period, Duration timeout, Clock clock) {
        this.configuredLimit = limit;
        this.currentLimit = limit;
        this.period = period;
        this.maxWait = timeout.dividedBy(2);
        this.clock = clock;
        this.limiter = RateLimiter.of(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(limit)
                        .limitRefreshPeriod(period)
                        .timeoutDuration(maxWait)
                        .build());
    }

    /**
     * Waits until this send may go.
     *
     * @return empty when it may go now; otherwise the retry to report without sending
     */
    public Optional<Outcome.Retry> enter() {
        Duration pause = Duration.between(clock.instant(), pausedUntil());
        if (pause.isPositive()) {
            if (pause.compareTo(maxWait) > 0) {
                return Optional.of(new Outcome.Retry(
                        pause, "provider asked to slow down; not sending for " + pause.toMillis() + " ms"));
            }
            if (!Sleeps.quietly(pause)) {
                return Optional.of(new Outcome.Retry(Duration.ZERO, "interrupted while waiting for the rate limit"));
            }
        }
        long nanos = limiter.reservePermission();
        if (nanos < 0) {
            return Optional.of(new Outcome.Retry(
                    period,
                    "local rate limit of " + limiter.getRateLimiterConfig().getLimitForPeriod() + " per "
                            + period.toMillis() + " ms reached"));
        }
        if (nanos > 0 && !Sleeps.quietly(Duration.ofNanos(nanos))) {
            return Optional.of(new Outcome.Retry(Duration.ZERO, "interrupted while waiting for the rate limit"));
        }
        return Optional.empty();
    }

    /** The provider answered 429: pause all sends for {@code delay} and halve the rate. */
    public void slowDown(Duration delay) {
        lock.lock();
        try {
            Instant until = clock.instant().plus(delay);
            if (until.isAfter(pausedUntil)) {
                pausedUntil = until;
            }
            int halved = Math.max(1, currentLimit / 2);
            if (halved != currentLimit) {
                currentLimit = halved;
                limiter.changeLimitForPeriod(halved);
            }
            lastChange = clock.instant();
        } finally {
            lock.unlock();
        }
    }

    /** A send went through: after a calm period, give one request back. */
    public void succeeded() {
        lock.lock();
        try {
            Instant now = clock.instant();
            if (currentLimit < configuredLimit
                    && !now.isBefore(lastChange.plus(period))
                    && !now.isBefore(pausedUntil)) {
                currentLimit++;
                limiter.changeLimitForPeriod(currentLimit);
                lastChange = now;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Requests per period in force now (lower than configured after a 429). */
    public int currentLimit() {
        lock.lock();
        try {
            return currentLimit;
        } finally {
            lock.unlock();
        }
    }

    private Instant pausedUntil() {
        lock.lock();
        try {
            return pausedUntil;
        } finally {
            lock.unlock();
        }
    }
}
