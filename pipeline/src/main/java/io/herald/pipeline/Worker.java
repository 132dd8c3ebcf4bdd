package io.herald.pipeline;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.herald.core.config.HeraldConfig;
import io.herald.core.control.WorkerState;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One provider as the pipeline uses it: its weight in its channel's pool, its health, and a bound
 * on its concurrent sends.
 *
 * <p>Health is a resilience4j circuit breaker set up so that its states mean what an operator
 * expects: CLOSED is healthy; {@code unhealthyThreshold} failed sends in a row (a count-based
 * window of that size where every call must fail) open it; after {@code openWait} it lets probes
 * through one at a time (HALF_OPEN); {@code healthyThreshold} good probes in a row close it again,
 * and a failed probe reopens it at once. Every transition starts from empty counters, so a worker
 * that recovered can always fail again (gomail's counters never reset). A message's own rejection
 * is not the provider's fault and is not counted.
 */
final class Worker {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final ConfiguredProvider configured;
    private final CircuitBreaker breaker;
    private final Semaphore slots;
    private final int maxInFlight;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /** When the breaker last opened from closed; null while closed. Probing keeps the first opening. */
    private final AtomicReference<Instant> unhealthySince = new AtomicReference<>();
    /** One probe at a time: resilience4j would let healthyThreshold probes out at once. */
    private final AtomicBoolean probeOut = new AtomicBoolean();
    private final int unhealthyThreshold;
    private final Duration openWait;
    /** The peer whose report is opening the breaker right now, for the transition's log line. */
    private volatile String openedOnReportOf;
    /** An operator paused this provider or its channel: it gets no message, not even a probe. */
    private volatile boolean paused;

    /** Smooth weighted round robin state, guarded by the pool's lock. */
    long currentWeight;

    Worker(ConfiguredProvider configured, HeraldConfig.Pipeline config) {
        this(configured, config, Clock.systemUTC());
    }

    /** @param clock times the breaker's rest (openWait); tests move it by hand instead of sleeping */
    Worker(ConfiguredProvider configured, HeraldConfig.Pipeline config, Clock clock) {
        this.configured = configured;
        this.maxInFlight = config.maxInFlightPerWorker();
        this.slots = new Semaphore(maxInFlight);
        CircuitBreakerConfig health = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.unhealthyThreshold())
                .minimumNumberOfCalls(config.unhealthyThreshold())
                .failureRateThreshold(100)
                .permittedNumberOfCallsInHalfOpenState(config.healthyThreshold())
                .waitDurationInOpenState(config.openWait())
                // No scheduler thread: the pool asks for a probe every iteration, and asking is
                // what moves an OPEN breaker whose wait is over to HALF_OPEN.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordExceptions(ProviderFailure.class)
                .clock(clock)
                .build();
        this.breaker = CircuitBreaker.of(configured.provider().name(), health);
        this.unhealthyThreshold = config.unhealthyThreshold();
        this.openWait = config.openWait();
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case CLOSED -> unhealthySince.set(null);
                case OPEN -> unhealthySince.compareAndSet(null, event.getCreationTime().toInstant());
                default -> {
                    // HALF_OPEN (a probe) and the rest keep the time it first turned unhealthy.
                }
            }
            logTransition(event.getStateTransition());
        });
    }

    /**
     * Becoming unhealthy and healthy again are logged once each, with why; the rest-and-probe
     * cycle in between repeats every openWait while a provider stays down, so it is logged at debug.
     */
    private void logTransition(CircuitBreaker.StateTransition transition) {
        switch (transition) {
            case CLOSED_TO_OPEN -> {
                String peer = openedOnReportOf;
                if (peer != null) {
                    log.warn("provider {} unhealthy: pipeline {} reported it failing; resting it {} here too, "
                            + "then one probe", name(), peer, openWait);
                } else {
                    log.warn("provider {} unhealthy after {} failed sends in a row, resting {} then one probe; "
                            + "last error: {}", name(), unhealthyThreshold, openWait, lastError.get());
                }
            }
            case HALF_OPEN_TO_CLOSED -> log.info("provider {} healthy again: its probes were delivered", name());
            case OPEN_TO_HALF_OPEN -> log.debug("provider {} rested {}, probing", name(), openWait);
            case HALF_OPEN_TO_OPEN -> log.debug("provider {} failed its probe, resting again: {}", name(),
                    lastError.get());
            default -> log.info("provider {} breaker {}", name(), transition);
        }
    }

    Provider provider() {
        return configured.provider();
    }

    String name() {
        return configured.provider().name();
    }

    int weight() {
        return configured.weight();
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    boolean isHealthy() {
        return breaker.getState() == CircuitBreaker.State.CLOSED;
    }

    boolean isPaused() {
        return paused;
    }

    /** @return whether this changed anything */
    boolean setPaused(boolean newPaused) {
        boolean was = paused;
        paused = newPaused;
        return was != newPaused;
    }

    /**
     * Another pipeline instance saw this provider fail: stop sending to it as if this instance had
     * seen the failures itself. The breaker rests for {@code openWait}, then the usual single probe
     * decides, so a provider that healed meanwhile gets its traffic back the normal way.
     *
     * @param peer  the pipeline instance that reported it unhealthy
     * @return whether the breaker was closed and is now open
     */
    boolean openBecausePeerSawFailures(String peer) {
        if (!isHealthy()) {
            return false;
        }
        openedOnReportOf = peer;
        try {
            breaker.transitionToOpenState();
        } finally {
            openedOnReportOf = null;
        }
        return true;
    }

    /** How a send relates to the worker's health. */
    enum SendKind {
        /** A healthy worker's send: counts towards its health. */
        COUNTED,
        /** An unhealthy worker's single probe: decides whether it heals. */
        PROBE,
        /** Sent while the whole pool is down: delivers if it can, but only probes decide health. */
        UNCOUNTED
    }

    /** For an unhealthy worker: whether it may take a probe now (its rest is over and no probe is out). */
    boolean tryProbe() {
        if (paused || isHealthy() || !probeOut.compareAndSet(false, true)) {
            return false;
        }
        if (!breaker.tryAcquirePermission()) {
            probeOut.set(false);
            return false;
        }
        probes.incrementAndGet();
        return true;
    }

    /** For a healthy worker: a permission to send that counts towards its health. */
    boolean tryCount() {
        return breaker.tryAcquirePermission();
    }

    boolean tryTakeSlot() {
        return slots.tryAcquire();
    }

    void releaseSlot() {
        slots.release();
    }

    int inFlight() {
        return maxInFlight - slots.availablePermits();
    }

    boolean hasFreeSlot() {
        return slots.availablePermits() > 0;
    }

    /** Records a send's outcome; a probe's outcome also frees the way for the next probe. */
    void record(Outcome outcome, Duration took, SendKind kind) {
        try {
            record(outcome, took, kind != SendKind.UNCOUNTED);
        } finally {
            if (kind == SendKind.PROBE) {
                probeOut.set(false);
            }
        }
    }

    /** A send that was chosen but not made (the pipeline is stopping): gives back what it held. */
    void abandon(SendKind kind) {
        if (kind != SendKind.UNCOUNTED) {
            breaker.releasePermission();
        }
        if (kind == SendKind.PROBE) {
            probeOut.set(false);
        }
    }

    private void record(Outcome outcome, Duration took, boolean counted) {
        switch (outcome) {
            case Outcome.Delivered d -> {
                delivered.incrementAndGet();
                if (counted) {
                    breaker.onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            case Outcome.Rejected r -> {
                rejected.incrementAndGet();
                if (counted) {
                    breaker.releasePermission();
                }
            }
            case Outcome.Retry r -> failed(r.reason(), took, counted, retried);
            case Outcome.ProviderDown p -> failed(p.reason(), took, counted, down);
        }
    }

    private void failed(String reason, Duration took, boolean counted, AtomicLong counter) {
        counter.incrementAndGet();
        lastError.set(reason);
        if (!counted) {
            return;
        }
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            // A failed probe means rest again, at once. Recorded instead, it would let resilience4j
            // close the breaker once healthyThreshold probes are in and fewer than all failed.
            breaker.transitionToOpenState();
        } else {
            breaker.onError(took.toNanos(), TimeUnit.NANOSECONDS, new ProviderFailure(reason));
        }
    }

    WorkerStatus status() {
        return new WorkerStatus(name(), provider().channel(), weight(), stateName(), paused, healthName(), inFlight(),
                delivered.get(), retried.get(), rejected.get(), down.get(), probes.get(), lastError.get());
    }

    /** As an operator sees it: PAUSED whatever the health while paused, else the breaker's state. */
    WorkerState state() {
        return paused ? WorkerState.PAUSED : health();
    }

    /** The breaker's state alone, paused or not. */
    WorkerState health() {
        return switch (breaker.getState()) {
            case CLOSED -> WorkerState.HEALTHY;
            case HALF_OPEN -> WorkerState.PROBING;
            default -> WorkerState.UNHEALTHY;
        };
    }

    String stateName() {
        return state().name().toLowerCase(Locale.ROOT);
    }

    private String healthName() {
        return health().name().toLowerCase(Locale.ROOT);
    }

    long deliveredCount() {
        return delivered.get();
    }

    /** Sends that failed for the provider's reasons (retried or provider down); rejections are the message's. */
    long failedCount() {
        return retried.get() + down.get();
    }

    long probeCount() {
        return probes.get();
    }

    /** The latest failure's reason, as the provider worded it (secrets redacted there), or null. */
    String lastError() {
        return lastError.get();
    }

    /** When it last turned unhealthy, or null while healthy. */
    Instant unhealthySince() {
        return unhealthySince.get();
    }

    /**
     * What {@code /status} shows for a worker.
     *
     * @param state   healthy, unhealthy, probing, or paused (which hides the health)
     * @param health  the breaker's own state, paused or not
     */
    record WorkerStatus(String name, String channel, int weight, String state, boolean paused, String health,
                        int inFlight, long delivered, long retried, long rejected, long providerDown, long probes,
                        String lastError) {
    }

    /** The breaker records only this: a send the provider is to blame for. */
    static final class ProviderFailure extends RuntimeException {
        ProviderFailure(String reason) {
            super(reason, null, false, false);
        }
    }
}
