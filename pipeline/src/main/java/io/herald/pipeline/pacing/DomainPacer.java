package io.herald.pipeline.pacing;

import io.herald.core.config.HeraldConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Paces email per recipient domain: one token bucket per domain (a second's worth of burst), whose rate halves at each
 * deferral of that domain ({@link #deferred}) and doubles back after each {@code recovery} without one. Other domains
 * go on at their own rate, so a receiver that defers slows only the mail addressed to it.
 *
 * <p>A domain with a configured rate ({@code pacing.domains}, {@code pacing.defaultRate}) always has a bucket; an
 * unlimited one gets a bucket at its first deferral, at {@code pacing.afterDeferral}, and is forgotten (unlimited
 * again) once it has recovered to that rate and stayed calm another {@code recovery}. Remembers a bounded number of
 * domains, like {@link io.herald.pipeline.provider.TargetPacer}: forgetting an idle one only forgets that it was slow.
 */
public final class DomainPacer {

    private static final int REMEMBERED_DOMAINS = 10_000;
    /** The slowest a domain gets, however often it defers: a paced message is held at most about a minute. */
    private static final double FLOOR_PER_SECOND = 1.0 / 60;

    private final Map<String, Double> configured;
    private final Double defaultRate;
    private final double afterDeferral;
    private final Duration recovery;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > REMEMBERED_DOMAINS;
        }
    };

    public DomainPacer(HeraldConfig.Pacing config, Clock clock) {
        this.configured = Map.copyOf(config.domainRates());
        this.defaultRate =
                "none".equals(config.defaultRate()) ? null : HeraldConfig.Pacing.perSecond(config.defaultRate());
        this.afterDeferral = HeraldConfig.Pacing.perSecond(config.afterDeferral());
        this.recovery = config.recovery();
        this.clock = clock;
    }

    /** The domain of an address (after its last {@code @}), lower case; the whole text when it has none. */
    public static String domainOf(String address) {
        String a = address == null ? "" : address.strip();
        int at = a.lastIndexOf('@');
        String domain = at < 0 ? a : a.substring(at + 1);
        if (domain.endsWith(">")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        return domain.toLowerCase(Locale.ROOT);
    }

    /**
     * Takes a send's token for {@code domain}.
     *
     * @return empty when the send may go now; otherwise how long to hold the message before it tries again
     */
    public Optional<Duration> admit(String domain) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Bucket bucket = bucket(domain, now);
            if (bucket == null) {
                return Optional.empty();
            }
            bucket.refill(now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                bucket.waiting = 0;
                return Optional.empty();
            }
            // Spread the held messages over the coming tokens, so they do not all come back at the same moment.
            bucket.waiting++;
            double seconds = (1 - bucket.tokens + bucket.waiting - 1) / bucket.rate;
            // Less a hair, so that a whole number of milliseconds is not rounded up by the double's last bit.
            return Optional.of(Duration.ofMillis(Math.max(1, (long) Math.ceil(seconds * 1000 - 1e-6))));
        } finally {
            lock.unlock();
        }
    }

    /** The receiver of {@code domain} deferred a send: halve its rate (not below one a minute). */
    public void deferred(String domain) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Bucket bucket = bucket(domain, now);
            if (bucket == null) {
                // Starts at twice the rate, so the halving below lands on afterDeferral.
                bucket = new Bucket(afterDeferral, afterDeferral * 2, now);
                buckets.put(domain, bucket);
            }
            bucket.refill(now);
            bucket.rate = Math.max(FLOOR_PER_SECOND, bucket.rate / 2);
            bucket.tokens = Math.min(bucket.tokens, bucket.capacity());
            bucket.lastChange = now;
        } finally {
            lock.unlock();
        }
    }

    /** Sends per second allowed to {@code domain} now; {@link Double#POSITIVE_INFINITY} when it is not paced. */
    public double currentRate(String domain) {
        lock.lock();
        try {
            Bucket bucket = bucket(domain, clock.instant());
            return bucket == null ? Double.POSITIVE_INFINITY : bucket.rate;
        } finally {
            lock.unlock();
        }
    }

    /** The domain's bucket after any recovery that is due; null while it is unlimited. Under the lock. */
    private Bucket bucket(String domain, Instant now) {
        Bucket bucket = buckets.get(domain);
        if (bucket == null) {
            Double rate = configured.getOrDefault(domain, defaultRate);
            if (rate == null) {
                return null;
            }
            bucket = new Bucket(rate, rate, now);
            buckets.put(domain, bucket);
            return bucket;
        }
        while (!now.isBefore(bucket.lastChange.plus(recovery))) {
            if (bucket.rate >= bucket.ceiling) {
                if (!configured.containsKey(domain) && defaultRate == null) {
                    buckets.remove(domain);
                    return null;
                }
                break;
            }
            bucket.refill(bucket.lastChange.plus(recovery));
            bucket.rate = Math.min(bucket.ceiling, bucket.rate * 2);
            bucket.lastChange = bucket.lastChange.plus(recovery);
        }
        return bucket;
    }

    /** One domain's token bucket; guarded by the pacer's lock. */
    private static final class Bucket {
        /** The rate it recovers to: the configured one, or {@code afterDeferral} for an otherwise unlimited domain. */
        final double ceiling;

        double rate;
        double tokens;
        Instant refilled;
        Instant lastChange;
        int waiting;

        Bucket(double ceiling, double rate, Instant now) {
            this.ceiling = ceiling;
            this.rate = rate;
            this.tokens = Math.max(1, rate);
            this.refilled = now;
            this.lastChange = now;
        }

        /** A second's worth of sends, and at least one. */
        double capacity() {
            return Math.max(1, rate);
        }

        void refill(Instant now) {
            if (now.isAfter(refilled)) {
                double seconds = Duration.between(refilled, now).toNanos() / 1e9;
                tokens = Math.min(capacity(), tokens + seconds * rate);
                refilled = now;
            }
        }
    }
}
