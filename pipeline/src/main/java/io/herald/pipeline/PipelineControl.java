package io.herald.pipeline;

import io.herald.core.config.HeraldConfig;
import io.herald.core.control.ControlStore;
import io.herald.core.control.DomainDeferral;
import io.herald.core.control.Pause;
import io.herald.core.control.PauseScope;
import io.herald.core.control.ProviderHealth;
import io.herald.core.control.QueueAge;
import io.herald.core.control.WorkerState;
import io.herald.pipeline.pacing.DomainPacer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this pipeline instance obeys and tells the others, through the {@link ControlStore}: operators' pauses, and
 * every instance's view of each provider's health.
 *
 * <p>Readers call {@link #refresh()} at the start of each iteration; the store is read only when what was read last is
 * older than {@code control.refreshInterval}, so neither a busy pipeline (many short iterations) nor several queues
 * multiply the reads, and an idle one (20 s long polls) reads once per iteration. When the store cannot be read, the
 * last view stays in force and that is logged once, not per iteration.
 *
 * <p>Another instance reporting a provider UNHEALTHY (a change to that state since its previous report seen here, or
 * the first report seen from it) opens this instance's breaker for the provider too; from there the usual rule holds:
 * rest, then one probe. Reports are edges, not levels, so an instance that keeps reporting an old failure cannot keep a
 * provider that healed here shut.
 *
 * <p>Each of this instance's workers is published when its breaker changes state or its pause changes, and all of them
 * every {@code control.heartbeatInterval} with their counters, from one thread of its own: a slow store never holds up
 * a send. Each heartbeat also publishes, per queue, the oldest message received from it since the previous heartbeat
 * ({@link OldestReceived}), which {@code herald queues} and the dashboard show as the queue's oldest age.
 *
 * <p>Recipient domains' deferrals travel the same way, with each read: those this instance's {@link DomainPacer} heard
 * are published, and those other processes published (the API's SendGrid webhook, other instances) slow the domain
 * here, once per deferral seen. A deferral newer than the last one seen replaces it: several between two reads count as
 * one.
 */
final class PipelineControl implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PipelineControl.class);

    /** What was last read: the pauses and the other instances' live reports. */
    record View(List<Pause> pauses, List<ProviderHealth> peers) {
        static final View NOTHING = new View(List.of(), List.of());
    }

    private final ControlStore store;
    private final String instance;
    private final HeraldConfig.Control config;
    private final Map<String, WorkerPool> pools;
    private final OldestReceived oldest;
    private final List<Worker> workers = new ArrayList<>();
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final DomainPacer pacer;
    /** The time of the latest deferral of each domain applied here, so a deferral read again is not applied again. */
    private final Map<String, Instant> deferralsApplied = new ConcurrentHashMap<>();

    /** How long a reader waits for a read it started; see {@link #refresh()}. */
    static final Duration READ_WAIT = Duration.ofSeconds(1);

    private final ExecutorService readThreads = Executors.newVirtualThreadPerTaskExecutor();
    private CompletableFuture<Void> reading;
    private volatile View view = View.NOTHING;
    private volatile long readAtNanos;
    private volatile boolean everRead;
    private volatile boolean readFailing;
    /** The state each peer last reported for each provider, keyed instance/provider. */
    private final Map<String, WorkerState> seen = new ConcurrentHashMap<>();

    private final Set<Worker> changed = ConcurrentHashMap.newKeySet();
    /** The pauses last read, to log each one once when it appears and once when it goes. */
    private volatile Map<PauseScope, Pause> knownPauses = Map.of();

    private final Semaphore wake = new Semaphore(0);
    private volatile boolean publishFailing;
    private volatile boolean closed;
    private Thread publisher;

    /**
     * @param store where pauses and health live; null for a pipeline on its own (nothing is ever paused, nothing
     *     published)
     * @param instance this instance's name in its reports, unique among running instances
     * @param oldest what the readers received, for the queue-age reports
     * @param pacer the email pacing whose deferrals are shared with the other processes
     */
    PipelineControl(
            ControlStore store,
            String instance,
            HeraldConfig.Control config,
            Map<String, WorkerPool> pools,
            OldestReceived oldest,
            PipelineMetrics metrics,
            Clock clock,
            DomainPacer pacer) {
        this.store = store;
        this.pacer = pacer;
        this.instance = instance;
        this.config = config;
        this.pools = pools;
        this.oldest = oldest;
        this.metrics = metrics;
        this.clock = clock;
        pools.values().forEach(pool -> workers.addAll(pool.workers()));
        for (Worker worker : workers) {
            worker.onHealthChange(() -> changed(worker));
        }
    }

    /** Reads the store once before the readers start, so a pause holds from the first iteration. */
    void start() {
        if (store == null) {
            return;
        }
        pacer.shareDeferrals();
        refresh();
        workers.forEach(changed::add);
        publisher = Thread.ofVirtual().name("herald-health-publisher").start(this::publishLoop);
    }

    String instance() {
        return instance;
    }

    Duration refreshInterval() {
        return config.refreshInterval();
    }

    Duration parkDelay() {
        return config.parkDelay();
    }

    /**
     * Reads pauses and health if what was read is older than the refresh interval, and acts on them. The read runs on a
     * thread of its own and the caller waits for it at most {@link #READ_WAIT}: a store that answers (in milliseconds)
     * is obeyed in this very iteration, one that hangs costs a reader no more than that, and the last view stays in
     * force meanwhile.
     */
    void refresh() {
        if (store == null) {
            return;
        }
        CompletableFuture<Void> started;
        synchronized (this) {
            boolean fresh = everRead
                    && System.nanoTime() - readAtNanos
                            < config.refreshInterval().toNanos();
            if (fresh || (reading != null && !reading.isDone())) {
                // Fresh enough, or another reader's read is under way: go on with the view there is.
                return;
            }
            reading = CompletableFuture.runAsync(this::read, readThreads);
            started = reading;
        }
        try {
            started.get(READ_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
            // The read finishes on its own; this iteration goes on with the last view.
        } catch (ExecutionException e) {
            log.error("applying pauses and health failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        View read;
        List<DomainDeferral> deferrals;
        try {
            shareDeferrals();
            read = new View(
                    store.pauses(),
                    store.health().stream()
                            .filter(h -> !h.instance().equals(instance))
                            .toList());
            deferrals = store.deferrals();
            metrics.controlRead(true);
            if (readFailing) {
                readFailing = false;
                log.info("control store readable again: pauses and shared health are current");
            }
        } catch (RuntimeException e) {
            if (closed) {
                // Interrupted by close(): not news about the store.
                return;
            }
            metrics.controlRead(false);
            if (!readFailing) {
                readFailing = true;
                log.warn(
                        "control store cannot be read, keeping the last known pauses and health until it can: {}",
                        e.getMessage());
            }
            return;
        } finally {
            readAtNanos = System.nanoTime();
            everRead = true;
        }
        apply(read);
        applyDeferrals(deferrals);
        view = read;
    }

    /** Publishes the deferrals this instance heard since the last read; what cannot be stored waits for the next. */
    private void shareDeferrals() {
        Map<String, Instant> heard = pacer.takeUnshared();
        Map<String, Instant> left = new HashMap<>(heard);
        try {
            for (Map.Entry<String, Instant> d : heard.entrySet()) {
                store.publishDeferral(new DomainDeferral(d.getKey(), instance, d.getValue()));
                // Its own report, read back, is not applied a second time.
                deferralsApplied.merge(d.getKey(), d.getValue(), PipelineControl::later);
                left.remove(d.getKey());
            }
        } catch (RuntimeException e) {
            pacer.stillUnshared(left);
            throw e;
        }
    }

    /** Slows each domain another process heard defer since the last deferral of it applied here. */
    private void applyDeferrals(List<DomainDeferral> deferrals) {
        for (DomainDeferral d : deferrals) {
            Instant before = deferralsApplied.get(d.domain());
            if (d.reporter().equals(instance) || (before != null && !d.at().isAfter(before))) {
                continue;
            }
            deferralsApplied.merge(d.domain(), d.at(), PipelineControl::later);
            pacer.deferredElsewhere(d.domain(), d.at());
            log.debug("{} deferred mail at {} ({}): slowed here too", d.domain(), d.at(), d.reporter());
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void apply(View read) {
        logPauseChanges(read.pauses());
        Set<PauseScope> paused = new HashSet<>();
        read.pauses().forEach(p -> paused.add(p.scope()));
        for (WorkerPool pool : pools.values()) {
            boolean channelPaused = paused.contains(PauseScope.channel(pool.channel()));
            for (Worker worker : pool.workers()) {
                boolean pause = channelPaused || paused.contains(PauseScope.provider(worker.name()));
                if (worker.setPaused(pause)) {
                    log.debug("{} {}", worker.name(), pause ? "paused" : "resumed");
                    changed(worker);
                }
            }
        }
        Set<String> current = new HashSet<>();
        for (ProviderHealth report : read.peers()) {
            String key = report.instance() + "/" + report.provider();
            current.add(key);
            WorkerState before = seen.put(key, report.state());
            if (report.state() != WorkerState.UNHEALTHY || before == WorkerState.UNHEALTHY) {
                continue;
            }
            for (Worker worker : workers) {
                // The worker logs the transition, naming the peer.
                if (worker.name().equals(report.provider()) && worker.openBecausePeerSawFailures(report.instance())) {
                    metrics.openedByPeer(worker);
                }
            }
        }
        // Instances whose reports went stale are forgotten: if they come back, their first report counts.
        seen.keySet().retainAll(current);
    }

    /**
     * One line per pause that appeared or went away since the last read, with who paused it and since when; however
     * many providers a channel pause stops, it is one pause.
     */
    private void logPauseChanges(List<Pause> now) {
        Map<PauseScope, Pause> current = new LinkedHashMap<>();
        now.forEach(p -> current.put(p.scope(), p));
        current.forEach((scope, pause) -> {
            if (!knownPauses.containsKey(scope)) {
                log.info(
                        "{} {} paused by {} since {}{}: its messages wait in SQS until resumed",
                        scope.kind().label(),
                        scope.name(),
                        pause.by(),
                        pause.since(),
                        because(pause));
            }
        });
        knownPauses.forEach((scope, pause) -> {
            if (!current.containsKey(scope)) {
                log.info(
                        "{} {} resumed (paused by {} since {}{})",
                        scope.kind().label(),
                        scope.name(),
                        pause.by(),
                        pause.since(),
                        because(pause));
            }
        });
        knownPauses = current;
    }

    private static String because(Pause pause) {
        return pause.reason().isEmpty() ? "" : " because \"" + pause.reason() + "\"";
    }

    /** Whether the channel's messages can be sent now: it is not paused and some provider of it is not. */
    boolean isChannelOpen(String channel) {
        WorkerPool pool = pools.get(channel);
        return pool != null && pool.isOpen();
    }

    /** Whether any channel can be sent now; when none can, queues are not read at all. */
    boolean anyChannelOpen() {
        return pools.values().stream().anyMatch(WorkerPool::isOpen);
    }

    /** The view last read, for {@code /status}. */
    View view() {
        return view;
    }

    private void changed(Worker worker) {
        changed.add(worker);
        wake.release();
    }

    private void publishLoop() {
        long heartbeatNanos = config.heartbeatInterval().toNanos();
        long lastHeartbeat = System.nanoTime();
        while (!closed) {
            try {
                long untilHeartbeat = Math.max(0, heartbeatNanos - (System.nanoTime() - lastHeartbeat));
                wake.tryAcquire(untilHeartbeat, TimeUnit.NANOSECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            List<Worker> due;
            boolean heartbeat = System.nanoTime() - lastHeartbeat >= heartbeatNanos;
            if (heartbeat) {
                due = workers;
                lastHeartbeat = System.nanoTime();
            } else {
                due = List.copyOf(changed);
            }
            for (Worker worker : due) {
                changed.remove(worker);
                if (!publish(worker)) {
                    // Tried again with the next change or heartbeat, whichever comes first.
                    changed.add(worker);
                    break;
                }
            }
            if (heartbeat) {
                publishQueueAges();
            }
        }
    }

    private boolean publish(Worker worker) {
        return published(() -> store.publishHealth(new ProviderHealth(
                instance,
                worker.provider().channel(),
                worker.name(),
                worker.state(),
                worker.deliveredCount(),
                worker.failedCount(),
                worker.probeCount(),
                clock.instant(),
                worker.lastError(),
                worker.unhealthySince())));
    }

    /**
     * One report per queue, covering what was received since the previous heartbeat; a report that cannot be published
     * hands its oldest back, so the next one covers both intervals.
     */
    private void publishQueueAges() {
        for (String queue : oldest.queues()) {
            Instant taken = oldest.take(queue);
            Instant now = clock.instant();
            metrics.oldestReceived(
                    queue,
                    taken == null ? 0 : Math.max(0, Duration.between(taken, now).toMillis() / 1000.0));
            if (!published(() -> store.publishQueueAge(new QueueAge(instance, queue, taken, now)))) {
                // The queues not reached keep gathering; all are tried again at the next heartbeat.
                oldest.putBack(queue, taken);
                return;
            }
        }
    }

    private boolean published(Runnable write) {
        try {
            write.run();
            if (publishFailing) {
                publishFailing = false;
                log.info("control store writable again: provider health and queue ages are shared");
            }
            return true;
        } catch (RuntimeException e) {
            if (closed) {
                return false;
            }
            if (!publishFailing) {
                publishFailing = true;
                log.warn(
                        "provider health and queue ages cannot be published, other pipelines and operators will not "
                                + "see this one's view until they can: {}",
                        e.getMessage());
            }
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        readThreads.shutdownNow();
        if (publisher != null) {
            publisher.interrupt();
            try {
                publisher.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
