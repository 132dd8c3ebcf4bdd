package io.herald.pipeline;

import io.herald.core.config.HeraldConfig;
import io.herald.core.control.WorkerState;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider as the pipeline uses it: its weight in its channel's pool, its health, and a bound on its concurrent
 * sends.
 *
 * <p>Health is {@link WorkerHealth}: {@code unhealthyThreshold} failed sends in a row make it unhealthy; after
 * {@code openWait} it takes probes one at a time; {@code healthyThreshold} good probes in a row make it healthy again,
 * and a failed probe sends it back to rest at once. A message's own rejection is not the provider's fault and is not
 * counted.
 */
final class Worker {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final ConfiguredProvider configured;
    private final WorkerHealth health;
    private final Semaphore slots;
    private final int maxInFlight;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final int unhealthyThreshold;
    private final Duration openWait;
    /** The peer whose report is making it unhealthy right now, for the transition's log line. */
    private volatile String openedOnReportOf;
    /** An operator paused this provider or its channel: it gets no message, not even a probe. */
    private volatile boolean paused;

    /** Smooth weighted round robin state, guarded by the pool's lock. */
    long currentWeight;

    Worker(ConfiguredProvider configured, HeraldConfig.PipelineSettings config, Clock clock) {
        this.configured = configured;
        this.maxInFlight = config.maxInFlightPerWorker();
        this.slots = new Semaphore(maxInFlight);
        this.health =
                new WorkerHealth(config.unhealthyThreshold(), config.healthyThreshold(), config.openWait(), clock);
        this.unhealthyThreshold = config.unhealthyThreshold();
        this.openWait = config.openWait();
        health.onChange(this::logTransition);
    }

    /**
     * Becoming unhealthy and healthy again are logged once each, with why; the rest-and-probe cycle in between repeats
     * every openWait while a provider stays down, so it is logged at debug.
     */
    private void logTransition(WorkerHealth.Change change) {
        switch (change.to()) {
            case UNHEALTHY -> {
                if (change.from() == WorkerState.PROBING) {
                    log.debug("provider {} failed its probe, resting again: {}", name(), lastError.get());
                    return;
                }
                String peer = openedOnReportOf;
                if (peer != null) {
                    log.warn(
                            "provider {} unhealthy: pipeline {} reported it failing; resting it {} here too, "
                                    + "then one probe",
                            name(),
                            peer,
                            openWait);
                } else {
                    log.warn(
                            "provider {} unhealthy after {} failed sends in a row, resting {} then one probe; "
                                    + "last error: {}",
                            name(),
                            unhealthyThreshold,
                            openWait,
                            lastError.get());
                }
            }
            case HEALTHY -> log.info("provider {} healthy again: its probes were delivered", name());
            case PROBING -> log.debug("provider {} rested {}, probing", name(), openWait);
            default -> log.info("provider {} health {} -> {}", name(), change.from(), change.to());
        }
    }

    /** Called after every change of health (not of pause), e.g. to publish it. */
    void onHealthChange(Runnable listener) {
        health.onChange(change -> listener.run());
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

    boolean isHealthy() {
        return health.state() == WorkerState.HEALTHY;
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
     * Another pipeline instance saw this provider fail: stop sending to it as if this instance had seen the failures
     * itself. It rests for {@code openWait}, then the usual single probe decides, so a provider that healed meanwhile
     * gets its traffic back the normal way.
     *
     * @param peer the pipeline instance that reported it unhealthy
     * @return whether it was healthy and now rests
     */
    boolean openBecausePeerSawFailures(String peer) {
        if (!isHealthy()) {
            return false;
        }
        openedOnReportOf = peer;
        try {
            return health.restOnReport();
        } finally {
            openedOnReportOf = null;
        }
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
        if (paused || !health.tryProbe()) {
            return false;
        }
        probes.incrementAndGet();
        return true;
    }

    /** For a healthy worker: a permission to send that counts towards its health. */
    boolean tryCount() {
        return health.tryCount();
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
        boolean counted = kind != SendKind.UNCOUNTED;
        boolean probe = kind == SendKind.PROBE;
        switch (outcome) {
            case Outcome.Delivered d -> {
                delivered.incrementAndGet();
                if (counted) {
                    health.succeeded(probe);
                }
            }
            case Outcome.Rejected r -> {
                rejected.incrementAndGet();
                health.neutral(probe);
            }
            case Outcome.Retry r
            when r.receiverDeferred() -> {
                // The receiver's domain deferred it: that domain is paced; the provider itself did its job.
                retried.incrementAndGet();
                health.neutral(probe);
            }
            case Outcome.Retry r -> failed(r.reason(), counted, probe, retried);
            case Outcome.ProviderDown p -> failed(p.reason(), counted, probe, down);
        }
    }

    /** A send that was chosen but not made (the pipeline is stopping): gives back what it held. */
    void abandon(SendKind kind) {
        health.neutral(kind == SendKind.PROBE);
    }

    private void failed(String reason, boolean counted, boolean probe, AtomicLong counter) {
        counter.incrementAndGet();
        lastError.set(reason);
        if (counted) {
            health.failed(probe);
        }
    }

    WorkerStatus status() {
        return new WorkerStatus(
                name(),
                provider().channel(),
                weight(),
                stateName(),
                paused,
                healthName(),
                inFlight(),
                delivered.get(),
                retried.get(),
                rejected.get(),
                down.get(),
                probes.get(),
                lastError.get());
    }

    /** As an operator sees it: PAUSED whatever the health while paused, else the health. */
    WorkerState state() {
        return paused ? WorkerState.PAUSED : health();
    }

    /** The health alone, paused or not. */
    WorkerState health() {
        return health.state();
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
        return health.unhealthySince();
    }

    /**
     * What {@code /status} shows for a worker.
     *
     * @param state healthy, unhealthy, probing, or paused (which hides the health)
     * @param health the health alone, paused or not
     */
    record WorkerStatus(
            String name,
            String channel,
            int weight,
            String state,
            boolean paused,
            String health,
            int inFlight,
            long delivered,
            long retried,
            long rejected,
            long providerDown,
            long probes,
            String lastError) {}
}
