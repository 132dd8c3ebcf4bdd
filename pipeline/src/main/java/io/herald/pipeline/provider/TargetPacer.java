package io.herald.pipeline.provider;

import io.herald.core.retry.Sleeps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps at least {@code interval} between two sends to the same target (Telegram: about one message per second per
 * chat). A send that would have to wait longer than {@code maxWait} is not made; the message is retried when the
 * target's turn comes. Remembers a bounded number of recent targets: forgetting an idle one costs nothing, since its
 * interval has long passed.
 */
public final class TargetPacer {

    private static final int REMEMBERED_TARGETS = 10_000;

    private final Duration interval;
    private final Duration maxWait;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Instant> nextFree = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED_TARGETS;
        }
    };

    public TargetPacer(Duration interval, Duration maxWait, Clock clock) {
        this.interval = interval;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    /** Waits for the target's turn; empty when the send may go, else the retry to report. */
    public Optional<Outcome.Retry> enter(String target) {
        if (interval.isZero()) {
            return Optional.empty();
        }
        Duration wait;
        lock.lock();
        try {
            Instant now = clock.instant();
            Instant free = nextFree.getOrDefault(target, Instant.MIN);
            Instant slot = free.isAfter(now) ? free : now;
            wait = Duration.between(now, slot);
            if (wait.compareTo(maxWait) > 0) {
                return Optional.of(
                        new Outcome.Retry(wait, "this target's rate limit: next send in " + wait.toMillis() + " ms"));
            }
            nextFree.put(target, slot.plus(interval));
        } finally {
            lock.unlock();
        }
        if (!Sleeps.quietly(wait)) {
            return Optional.of(new Outcome.Retry(Duration.ZERO, "interrupted while pacing"));
        }
        return Optional.empty();
    }
}
