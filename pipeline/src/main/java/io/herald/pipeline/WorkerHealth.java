package io.herald.pipeline;

import io.herald.core.control.WorkerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A worker's health, as an explicit state machine Herald owns:
 *
 * <pre>
 *   HEALTHY --unhealthyThreshold failures in a row, or a peer's report--> UNHEALTHY
 *   UNHEALTHY --openWait over, a probe asked for--> PROBING (one probe out at a time)
 *   PROBING --healthyThreshold good probes in a row--> HEALTHY
 *   PROBING --a failed probe--> UNHEALTHY (rest openWait again, at once)
 * </pre>
 *
 * Every transition starts from empty counters, so a worker that recovered can always fail again (gomail's counters
 * never reset). A message's own rejection counts neither way.
 *
 * <p>Why not resilience4j's circuit breaker, which this replaced: its HALF_OPEN state lets
 * {@code permittedNumberOfCallsInHalfOpenState} calls out at once and decides on their failure rate once all are in,
 * while Herald's rule is one probe at a time, {@code healthyThreshold} good ones in a row to heal and the first bad one
 * to rest again. Borrowing it took a probe-out flag, a forced transition on a failed probe and a forced one for a
 * peer's report beside the library's own rules; here the rule is the code. Time comes from the injected {@link Clock},
 * so tests move it instead of sleeping through {@code openWait}.
 */
final class WorkerHealth {

    /** A change of state, for the worker's log line and the health publisher. */
    record Change(WorkerState from, WorkerState to, Instant at) {}

    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private final Duration openWait;
    private final Clock clock;
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();

    private WorkerState state = WorkerState.HEALTHY;
    private int failuresInRow;
    private int goodProbes;
    private boolean probeOut;
    private Instant restUntil = Instant.MIN;
    private Instant unhealthySince;

    WorkerHealth(int unhealthyThreshold, int healthyThreshold, Duration openWait, Clock clock) {
        this.unhealthyThreshold = unhealthyThreshold;
        this.healthyThreshold = healthyThreshold;
        this.openWait = openWait;
        this.clock = clock;
    }

    /** Called after every change of state, outside the lock. */
    void onChange(Consumer<Change> listener) {
        listeners.add(listener);
    }

    WorkerState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** When it last turned unhealthy from healthy; null while healthy. Probing keeps the first time. */
    Instant unhealthySince() {
        lock.lock();
        try {
            return unhealthySince;
        } finally {
            lock.unlock();
        }
    }

    /** A send of a healthy worker may count towards its health. */
    boolean tryCount() {
        return state() == WorkerState.HEALTHY;
    }

    /** For an unhealthy worker: takes the one probe when its rest is over and none is out. */
    boolean tryProbe() {
        Change change = null;
        lock.lock();
        try {
            if (state == WorkerState.HEALTHY || probeOut) {
                return false;
            }
            if (state == WorkerState.UNHEALTHY) {
                if (clock.instant().isBefore(restUntil)) {
                    return false;
                }
                change = moveTo(WorkerState.PROBING);
            }
            probeOut = true;
        } finally {
            lock.unlock();
        }
        announce(change);
        return true;
    }

    /** A probe that was taken but not sent: the next may go. */
    void probeAbandoned() {
        lock.lock();
        try {
            probeOut = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A counted send (or a probe) was delivered.
     *
     * @param probe whether it was the probe, which frees the way for the next one
     */
    void succeeded(boolean probe) {
        Change change = null;
        lock.lock();
        try {
            if (probe) {
                probeOut = false;
            }
            switch (state) {
                case HEALTHY -> failuresInRow = 0;
                case PROBING -> {
                    if (++goodProbes >= healthyThreshold) {
                        change = moveTo(WorkerState.HEALTHY);
                    }
                }
                default -> {
                    // Resting: an answer to a send made before it turned unhealthy changes nothing.
                }
            }
        } finally {
            lock.unlock();
        }
        announce(change);
    }

    /** A counted send (or a probe) failed for the provider's reasons. */
    void failed(boolean probe) {
        Change change = null;
        lock.lock();
        try {
            if (probe) {
                probeOut = false;
            }
            switch (state) {
                case HEALTHY -> {
                    if (++failuresInRow >= unhealthyThreshold) {
                        change = moveTo(WorkerState.UNHEALTHY);
                    }
                }
                case PROBING -> change = moveTo(WorkerState.UNHEALTHY);
                default -> {
                    // Already resting.
                }
            }
        } finally {
            lock.unlock();
        }
        announce(change);
    }

    /** A probe that says nothing about the provider (the message's own rejection). */
    void neutral(boolean probe) {
        if (probe) {
            probeAbandoned();
        }
    }

    /**
     * Another instance saw the provider fail: rest as if this one had.
     *
     * @return whether it was healthy and now rests
     */
    boolean restOnReport() {
        Change change;
        lock.lock();
        try {
            if (state != WorkerState.HEALTHY) {
                return false;
            }
            change = moveTo(WorkerState.UNHEALTHY);
        } finally {
            lock.unlock();
        }
        announce(change);
        return true;
    }

    /** Under the lock. */
    private Change moveTo(WorkerState to) {
        Instant now = clock.instant();
        Change change = new Change(state, to, now);
        state = to;
        failuresInRow = 0;
        goodProbes = 0;
        switch (to) {
            case HEALTHY -> unhealthySince = null;
            case UNHEALTHY -> {
                restUntil = now.plus(openWait);
                if (unhealthySince == null) {
                    unhealthySince = now;
                }
            }
            default -> {
                // PROBING keeps the time it first turned unhealthy.
            }
        }
        return change;
    }

    private void announce(Change change) {
        if (change != null) {
            listeners.forEach(l -> l.accept(change));
        }
    }
}
