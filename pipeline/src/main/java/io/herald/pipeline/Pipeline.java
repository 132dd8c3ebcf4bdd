package io.herald.pipeline;

import io.herald.core.config.HeraldConfig;
import io.herald.core.control.ControlStore;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.feedback.Suppressions;
import io.herald.core.retry.Backoff;
import io.herald.core.sqs.QueueRef;
import io.herald.core.status.StatusStore;
import io.herald.pipeline.pacing.DeferralPacing;
import io.herald.pipeline.pacing.DomainPacer;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.Providers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Herald's dispatcher: reads every configured queue and delivers each message through a healthy provider of its
 * channel, accounting for every message: delivered and deleted, retried later, or dead-lettered with its reason.
 * Nothing is deleted that was not delivered or set aside.
 *
 * <p>Start it, then close it to stop: reading stops (a long poll in progress finishes, so at most {@code receiveWait}),
 * sends in flight get {@code shutdownDeadline} to finish, messages not sent are made visible again at once, the
 * providers it was given are closed, and pending statuses, then deletes, are flushed.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    /** Pauses between the tries of a status write: under a second in all, as delivered messages wait for it. */
    private static final Backoff STATUS_RETRIES = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400));

    private final List<QueueReader> readers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, WorkerPool> pools;
    private final List<QueueRef> queues;
    private final Settler settler;
    private final InFlight inFlight;
    private final StatusBuffer statusBuffer;
    private final Dispatcher dispatcher;
    private final PipelineMetrics metrics;
    private final HeraldConfig.PipelineSettings config;
    private final List<Provider> providers;
    private final PipelineControl control;

    /**
     * A pipeline on its own: nothing paused, health not shared.
     *
     * @param status where delivery states are recorded, or null to record none
     */
    public Pipeline(
            SqsClient sqs,
            List<QueueRef> queues,
            List<ConfiguredProvider> providers,
            HeraldConfig.PipelineSettings config,
            HeraldConfig.Sqs sqsConfig,
            PipelineMetrics metrics,
            StatusStore status,
            Clock clock) {
        this(
                sqs,
                queues,
                providers,
                config,
                sqsConfig,
                metrics,
                status,
                clock,
                null,
                "",
                HeraldConfig.Control.defaults(),
                null,
                new DomainPacer(HeraldConfig.Pacing.defaults(), clock));
    }

    /**
     * A pipeline as {@code herald pipeline} runs it: it obeys pauses, shares provider health and deferrals with the
     * other instances, reports the oldest message it received from each queue, checks every email against the
     * suppression list before any provider is called, and paces email per recipient domain.
     *
     * @param status where delivery states are recorded, or null to record none
     * @param controlStore pauses, shared health, deferrals and queue-age reports, or null for a pipeline on its own
     * @param instance this instance's name in its reports, unique among running instances
     * @param suppressions the one suppression list, or null to check none (tests and benches without a status table)
     * @param pacer paces email per recipient domain; deferrals from feedback reach it too (see {@link DeferralPacing})
     */
    public Pipeline(
            SqsClient sqs,
            List<QueueRef> queues,
            List<ConfiguredProvider> providers,
            HeraldConfig.PipelineSettings config,
            HeraldConfig.Sqs sqsConfig,
            PipelineMetrics metrics,
            StatusStore status,
            Clock clock,
            ControlStore controlStore,
            String instance,
            HeraldConfig.Control controlConfig,
            Suppressions suppressions,
            DomainPacer pacer) {
        this.config = config;
        this.metrics = metrics;
        this.queues = List.copyOf(queues);
        this.providers = providers.stream().map(ConfiguredProvider::provider).toList();
        Map<String, List<Worker>> byChannel = new LinkedHashMap<>();
        for (ConfiguredProvider provider : providers) {
            Worker worker = new Worker(provider, config, clock);
            metrics.watch(worker);
            byChannel
                    .computeIfAbsent(provider.provider().channel(), c -> new ArrayList<>())
                    .add(worker);
        }
        Map<String, WorkerPool> built = new LinkedHashMap<>();
        byChannel.forEach((channel, workers) -> built.put(channel, new WorkerPool(channel, workers)));
        this.pools = Map.copyOf(built);
        this.settler = new Settler(sqs, clock, config.settleLinger());
        this.inFlight = new InFlight(config.maxInFlight(), settler, sqsConfig.visibilityTimeout());
        metrics.watchInFlight(inFlight::count);
        metrics.watchDeadLetters(
                queues.stream().map(QueueRef::name).toList(),
                new DeadLetterGauge(sqs, queues, controlConfig.heartbeatInterval(), clock));
        metrics.watchOldestReceived(queues.stream().map(QueueRef::name).toList());
        OldestReceived oldest =
                new OldestReceived(queues.stream().map(QueueRef::name).toList());
        this.control = new PipelineControl(controlStore, instance, controlConfig, pools, oldest, metrics, clock, pacer);
        this.statusBuffer = new StatusBuffer(status, config.statusFlushInterval(), STATUS_RETRIES, metrics);
        this.dispatcher = new Dispatcher(
                pools,
                new EnvelopeCodec(),
                settler,
                inFlight,
                metrics,
                statusBuffer,
                clock,
                config.sendTimeout(),
                config.sendingStatusAfter(),
                new Backoff(config.retryBaseDelay(), config.retryMaxDelay()),
                sqsConfig.maxReceiveCount(),
                control,
                suppressions,
                pacer);
        for (QueueRef queue : queues) {
            readers.add(new QueueReader(
                    sqs,
                    queue,
                    inFlight,
                    dispatcher,
                    metrics,
                    config.maxReadersPerQueue(),
                    config.receiveWait(),
                    config.receiveLinger(),
                    config.depthInterval(),
                    control,
                    oldest));
        }
    }

    /** A name for this process among pipeline instances: host and process id. */
    public static String defaultInstanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    public void start() {
        control.start();
        for (QueueReader reader : readers) {
            threads.add(Thread.ofVirtual()
                    .name("herald-queue-" + reader.queueName())
                    .start(reader));
        }
        log.info("pipeline reading {} queue(s) for {} channel(s): {}", readers.size(), pools.size(), pools.keySet());
    }

    /** A snapshot of every pool's workers and every queue, for {@code /status}. */
    public PipelineStatus status() {
        Map<String, List<Worker.WorkerStatus>> poolStatus = new LinkedHashMap<>();
        pools.values()
                .forEach(pool -> poolStatus.put(
                        pool.channel(),
                        pool.workers().stream().map(Worker::status).toList()));
        List<PipelineStatus.QueueStatus> queueStatus = queues.stream()
                .map(q -> new PipelineStatus.QueueStatus(q.name(), metrics.depth(q.name())))
                .toList();
        PipelineControl.View shared = control.view();
        return new PipelineStatus(
                control.instance(),
                poolStatus,
                queueStatus,
                inFlight.count(),
                inFlight.capacity(),
                shared.pauses().stream()
                        .map(p -> new PipelineStatus.PauseStatus(
                                p.scope().kind().label(),
                                p.scope().name(),
                                p.since().toString(),
                                p.by(),
                                p.reason()))
                        .toList(),
                shared.peers().stream()
                        .map(h -> new PipelineStatus.PeerStatus(
                                h.instance(),
                                h.channel(),
                                h.provider(),
                                h.state().name().toLowerCase(Locale.ROOT),
                                h.delivered(),
                                h.failed(),
                                h.probes(),
                                h.updatedAt().toString()))
                        .toList());
    }

    @Override
    public void close() {
        readers.forEach(QueueReader::stop);
        // Readers finish the receive they are in (up to the long-poll wait), then stop.
        long readersEnd =
                System.nanoTime() + config.receiveWait().plusSeconds(5).toNanos();
        for (Thread thread : threads) {
            try {
                long left = Math.max(readersEnd - System.nanoTime(), 0);
                if (!thread.join(Duration.ofNanos(left))) {
                    log.warn("{} did not stop in time", thread.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dispatcher.stopSending();
        dispatcher.drain(config.shutdownDeadline());
        dispatcher.close();
        // Its writes settle messages: before the settler's last flush.
        statusBuffer.close(Duration.ofSeconds(10));
        control.close();
        // The pipeline is the providers' only user: once their last send is done, it closes them.
        Providers.closeAll(providers);
        inFlight.close();
        settler.close(Duration.ofSeconds(10));
        log.info("pipeline stopped");
    }

    /**
     * What {@code /status} answers.
     *
     * @param instance this instance's name in shared health reports
     * @param pauses the pauses in force, as last read from the control store
     * @param peers the other live instances' latest report for each provider, as last read
     */
    public record PipelineStatus(
            String instance,
            Map<String, List<Worker.WorkerStatus>> pools,
            List<QueueStatus> queues,
            int inFlight,
            int maxInFlight,
            List<PauseStatus> pauses,
            List<PeerStatus> peers) {
        public record QueueStatus(String name, long approximateDepth) {}

        /** @param scope channel or provider */
        public record PauseStatus(String scope, String name, String since, String by, String reason) {}

        /** Another instance's report: state is healthy, unhealthy, probing or paused. */
        public record PeerStatus(
                String instance,
                String channel,
                String provider,
                String state,
                long delivered,
                long failed,
                long probes,
                String updatedAt) {}
    }
}
