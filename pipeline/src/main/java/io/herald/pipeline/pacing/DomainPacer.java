package io.herald.pipeline.pacing;

import io.herald.core.config.HeraldConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Paces email per recipient domain: one token bucket per domain (a second's worth of burst), whose rate halves at each
 * deferral of that domain ({@link #deferred}) and doubles back after each {@code recovery} without one. Other domains
 * go on at their own rate, so a receiver that defers slows only the mail addressed to it.
 *
 * <p>A domain with a configured rate ({@code pacing.domains}, {@code pacing.defaultRate}) always has a bucket; an
 * unlimited one gets a bucket at its first deferral, at {@code pacing.afterDeferral}, and is forgotten (unlimited
 * again) once it has recovered to that rate and stayed calm another {@code recovery}.
 *
 * <p>Deferrals travel between processes through the control store: those heard here are taken by
 * {@code PipelineControl} ({@link #takeUnshared}) and stored, those heard elsewhere (the API's SendGrid webhook,
 * another instance) come back through {@link #deferredElsewhere}. Each instance still paces with its own buckets.
 * Remembers a bounded number of domains, like {@link io.herald.pipeline.provider.TargetPacer}: forgetting an idle one
 * only forgets that it was slow.
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
    /** Deferrals heard here and not yet in the control store, kept only once {@link #shareDeferrals} was called. */
    private final Map<String, Instant> unshared = new ConcurrentHashMap<>();

    private volatile boolean sharing;
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

    /**
     * The receiver of {@code domain} deferred a send here (at send time, or in feedback this process read): halve its
     * rate (not below one a minute), and keep it to be told to the other processes ({@link #takeUnshared}).
     */
    public void deferred(String domain) {
        Instant now = clock.instant();
        slowDown(domain, now);
        if (sharing) {
            unshared.put(domain, now);
        }
    }

    /**
     * From now on, keeps the deferrals heard here for {@link #takeUnshared}; a pipeline without a control store never
     * does.
     */
    public void shareDeferrals() {
        sharing = true;
    }

    /**
     * Another process heard {@code domain} defer at {@code at}: halve its rate here too, unless that was longer than
     * {@code recovery} ago (it would have recovered since).
     */
    public void deferredElsewhere(String domain, Instant at) {
        Instant now = clock.instant();
        if (now.isBefore(at.plus(recovery))) {
            slowDown(domain, now);
        }
    }

    /** The deferrals heard here since the last call, latest per domain, for the control store; forgets them. */
    public Map<String, Instant> takeUnshared() {
        Map<String, Instant> taken = new HashMap<>();
        for (String domain : List.copyOf(unshared.keySet())) {
            Instant at = unshared.remove(domain);
            if (at != null) {
                taken.put(domain, at);
            }
        }
        return taken;
    }

    /** Gives back deferrals {@link #takeUnshared} took that could not be stored, unless newer ones came meanwhile. */
    public void stillUnshared(Map<String, Instant> notStored) {
        notStored.forEach(
                (domain, at) -> unshared.merge(domain, at, (newer, older) -> newer.isAfter(older) ? newer : older));
    }

    private void slowDown(String domain, Instant now) {
        lock.lock();
        try {
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
