package io.herald.cli;

import io.herald.api.ApiAccess;
import io.herald.api.HeraldApi;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.embedded.EmbeddedServices;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.feedback.DynamoFeedbackEventIds;
import io.herald.core.feedback.FeedbackMeters;
import io.herald.core.preferences.DynamoChatLinks;
import io.herald.core.preferences.DynamoLinkNonces;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.provider.ProviderSettings;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.StatusStore;
import io.herald.pipeline.AdminServer;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.herald.pipeline.pacing.DomainPacer;
import io.herald.pipeline.provider.Providers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole of Herald in one process, on loopback: an embedded SQS with the configured queues and their dead-letter
 * queues, the HTTP API, and the pipeline delivering email into files (by default). {@code ./herald local} runs it in
 * memory; the end-to-end tests run exactly the same thing. {@code herald serve} runs it {@linkplain #startDurable
 * durably}: queues, messages and statuses on disk.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration LOCAL_RECEIVE_WAIT = Duration.ofSeconds(2);
    /** Where the embedded engines listen (herald-embedded binds them to loopback only). */
    private static final String EMBEDDED_HOST = "127.0.0.1";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final URI sqsEndpoint;
    private final List<QueueRef> queues;
    private final Optional<Path> localDirectory;
    private final int apiPort;
    private final HeraldConfig config;
    private final URI dynamoDbEndpoint;
    private final ApiAccess access;
    private final Optional<AdminServer> admin;
    private final Optional<LocalChaosDemo> demo;

    private LocalStack(HeraldConfig requested, boolean withDemo, Optional<ServeData> data) {
        try {
            EmbeddedServices engines = EmbeddedServices.load();
            // The stand-ins start first: the providers' configuration points at their ports.
            this.demo = withDemo ? Optional.of(LocalChaosDemo.start()) : Optional.empty();
            demo.ifPresent(started::push);
            EmbeddedServices.Running embedded =
                    startSqs(engines, requested.local().sqsPort(), data.map(ServeData::sqsDir));
            started.push(embedded);
            this.sqsEndpoint = embedded.endpoint();
            EmbeddedServices.Running dynamoDb =
                    startDynamoDb(engines, requested.local().dynamodbPort(), data.map(ServeData::dynamoDbDir));
            started.push(dynamoDb);
            this.dynamoDbEndpoint = dynamoDb.endpoint();
            HeraldConfig running = requested
                    .withSqs(requested.sqs().withEndpoint(sqsEndpoint.toString()))
                    .withStatus(requested.status().withEndpoint(dynamoDbEndpoint.toString()));
            this.config = demo.map(d -> d.configure(running)).orElse(running);
            StatusStores stores = StatusStores.open(config, true, Clock.systemUTC());
            started.push(stores);

            PipelineMetrics metrics = Services.metrics(started::push);
            SqsClient sqs = SqsClients.create(config.sqs(), metrics.sqsRequestCounter());
            started.push(sqs);
            this.queues = SqsQueues.provision(sqs, config.sqs());

            String callbackQueue = config.callbacks().enabled() ? CallbackWiring.queueUrl(config, sqs, true) : null;
            StatusStore status =
                    CallbackWiring.statusStore(config, stores.status(), sqs, callbackQueue, metrics.registry());
            CallbackWiring.deliverer(config, sqs, callbackQueue, stores.status(), metrics.registry())
                    .ifPresent(d -> {
                        d.start();
                        started.push(d);
                    });

            EnvelopeCodec codec = new EnvelopeCodec();
            this.localDirectory = localDirectory(config.providers());
            // Stopping waits for the current long poll; embedded queues are on this machine and nobody
            // counts their requests, so local and serve poll briefly and Ctrl-C or SIGTERM stays quick.
            HeraldConfig.PipelineSettings pipelineConfig =
                    config.pipeline().withReceiveWait(min(config.pipeline().receiveWait(), LOCAL_RECEIVE_WAIT));
            Pipeline pipeline = new Pipeline(
                    sqs,
                    queues,
                    Providers.fromConfig(config),
                    pipelineConfig,
                    config.sqs(),
                    metrics,
                    status,
                    Clock.systemUTC(),
                    stores.control(),
                    data.isPresent() ? "serve" : "local",
                    config.control(),
                    stores.suppressions(),
                    new DomainPacer(config.pacing(), Clock.systemUTC()));
            pipeline.start();
            started.push(pipeline);
            this.admin = Services.startAdmin(
                    config.pipeline(),
                    metrics,
                    pipeline,
                    List.of(StatusStores.sqsReadiness(sqs, queues), stores.readiness()));
            admin.ifPresent(started::push);

            // Local mode may run open (no keys configured) and says so in its banner; serve is a real
            // service and, like `herald api`, runs open only with api.open: true.
            this.access = ApiAccess.fromConfig(config.api(), data.isEmpty());
            SqsProducer producer = new SqsProducer(sqs, codec);
            HeraldApi.Builder apiBuilder = Services.unsubscribe(
                            HeraldApi.builder(config.api(), producer, queues), config, stores)
                    .statusStore(status)
                    .controlStore(stores.control())
                    .suppressions(stores.suppressions())
                    .preferences(stores.preferences(), config.providers().channelsWithProvider())
                    .selfService(
                            new DynamoLinkNonces(stores.dynamo(), stores.table()),
                            new DynamoChatLinks(stores.dynamo(), stores.table()),
                            config.mailprog().mailDomain(),
                            Services.linkSender(config))
                    .idempotencyStore(stores.idempotency())
                    .feedbackWebhooks(
                            config.providers().feedbackWebhooks(),
                            meters -> stores.webhookFeedback(
                                    config,
                                    status,
                                    new FeedbackMeters(meters),
                                    (data.isPresent() ? "serve" : "local") + "-api",
                                    Clock.systemUTC()),
                            new DynamoFeedbackEventIds(
                                    stores.dynamo(),
                                    stores.table(),
                                    config.feedback().dedupWindow(),
                                    Clock.systemUTC()))
                    .access(access)
                    .receivers(ReceiverParser.standard(config.receivers().defaultScheme()))
                    .readiness(StatusStores.sqsReadiness(sqs, queues))
                    .readiness(stores.readiness())
                    .overview(sqs)
                    .feedbackRates(stores.feedbackDailyCounts(Clock.systemUTC()))
                    .accessLog(config.logging().accessLog());
            CallbackWiring.configureApi(config, apiBuilder);
            demo.ifPresent(d -> {
                apiBuilder.localDemo(d);
                d.startTraffic(producer, queues, Clock.systemUTC());
            });
            // Popped first on close: no new demo notifications while the rest stops.
            demo.ifPresent(d -> started.push(d::stopTraffic));
            HeraldApi api = apiBuilder.build();
            started.push(api);
            Services.startApi(api, config.api());
            this.apiPort = api.port();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public static LocalStack start(HeraldConfig config) {
        return new LocalStack(config, false, Optional.empty());
    }

    /**
     * {@code herald serve}: the same stack with the queues, their messages and the status table kept in {@code data},
     * so a restart, even after a crash, finds everything SQS and DynamoDB acknowledged.
     */
    public static LocalStack startDurable(HeraldConfig config, ServeData data) {
        return new LocalStack(config, false, Optional.of(data));
    }

    /**
     * With the chaos demo: the email channel delivers through stand-ins of its providers' APIs that the dashboard
     * breaks and heals, instead of into files (see {@link LocalChaosDemo}).
     */
    public static LocalStack startWithDemo(HeraldConfig config) {
        return new LocalStack(config, true, Optional.empty());
    }

    private static EmbeddedServices.Running startSqs(EmbeddedServices engines, int port, Optional<Path> storage) {
        refuseTakenPort("embedded SQS", port, "local.sqsPort");
        try {
            return engines.startSqs(port, storage);
        } catch (IllegalStateException e) {
            throw new StartupException(e.getMessage() + portHint(e, "local.sqsPort"));
        }
    }

    private static EmbeddedServices.Running startDynamoDb(EmbeddedServices engines, int port, Optional<Path> storage) {
        refuseTakenPort("embedded DynamoDB", port, "local.dynamodbPort");
        try {
            return engines.startDynamoDb(port, storage);
        } catch (IllegalStateException e) {
            throw new StartupException(e.getMessage() + portHint(e, "local.dynamodbPort"));
        }
    }

    /** One line naming the port, its key and the fix, instead of the engine's logged stack traces. */
    private static void refuseTakenPort(String engine, int port, String key) {
        try {
            Services.refuseTakenPort(EMBEDDED_HOST, port);
        } catch (IOException e) {
            throw new StartupException(engine + " cannot listen on " + EMBEDDED_HOST + ":" + port + ": "
                    + Services.rootMessage(e) + " (set " + key + " / " + ConfigLoader.environmentVariable(key)
                    + " to a free port, or 0)");
        }
    }

    /** The port is the fix only when listening failed, not when the stored data would not open. */
    private static String portHint(IllegalStateException e, String key) {
        return String.valueOf(e.getMessage()).contains("cannot listen")
                ? " (set " + key + " / " + ConfigLoader.environmentVariable(key) + " to a free port, or 0)"
                : "";
    }

    /** The embedded DynamoDB holding delivery status and idempotency keys. */
    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    /** Who may use the API: open unless keys are configured. */
    public ApiAccess apiAccess() {
        return access;
    }

    public URI apiUrl() {
        return URI.create("http://" + config.api().host() + ":" + apiPort);
    }

    /** The pipeline's admin server (/metrics, /status), unless pipeline.adminPort is -1. */
    public Optional<URI> adminUrl() {
        return admin.map(a -> URI.create("http://" + config.pipeline().adminHost() + ":" + a.port()));
    }

    /** The chaos demo, when started with one. */
    Optional<LocalChaosDemo> demo() {
        return demo;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public List<QueueRef> queues() {
        return queues;
    }

    /**
     * The directory on this machine the first enabled provider that delivers into files writes to (one file per
     * message: what {@code ./herald local} delivers email as), if one does.
     */
    public Optional<Path> localDirectory() {
        return localDirectory;
    }

    private static Optional<Path> localDirectory(HeraldConfig.ProviderBlocks blocks) {
        for (ProviderDescriptor<?> provider : ProviderRegistry.installed().all()) {
            ProviderSettings block = blocks.get(provider.name());
            Optional<Path> directory = block.enabled() ? localDirectoryOf(provider, block) : Optional.empty();
            if (directory.isPresent()) {
                return directory;
            }
        }
        return Optional.empty();
    }

    private static <C extends Record & ProviderSettings> Optional<Path> localDirectoryOf(
            ProviderDescriptor<C> provider, ProviderSettings block) {
        return provider.localDirectory(provider.cast(block));
    }

    /** The configuration actually running: the requested one pointed at the embedded SQS. */
    public HeraldConfig config() {
        return config;
    }

    /** Stops in reverse order of start: API first (no new work), then pipeline, then SQS. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("herald: error while stopping: " + e.getMessage());
            }
        }
    }
}
