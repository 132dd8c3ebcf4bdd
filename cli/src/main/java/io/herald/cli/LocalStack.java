package io.herald.cli;

import io.herald.api.ApiAccess;
import io.herald.api.HeraldApi;
import io.herald.core.config.HeraldConfig;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.receiver.ReceiverParser;
import io.herald.embedded.EmbeddedSqs;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.pipeline.AdminServer;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.herald.pipeline.provider.Providers;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The whole of Herald in one process, on loopback: an embedded SQS with the configured queues
 * and their dead-letter queues, the HTTP API, and the pipeline delivering email into an outbox
 * directory. {@code ./herald local} runs it; the end-to-end tests run exactly the same thing.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration LOCAL_RECEIVE_WAIT = Duration.ofSeconds(2);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final URI sqsEndpoint;
    private final List<QueueRef> queues;
    private final Path outbox;
    private final int apiPort;
    private final HeraldConfig config;
    private final URI dynamoDbEndpoint;
    private final ApiAccess access;
    private final Optional<AdminServer> admin;
    private final Optional<LocalChaosDemo> demo;

    private LocalStack(HeraldConfig requested, boolean withDemo) {
        try {
            // The stand-ins start first: the providers' configuration points at their ports.
            this.demo = withDemo ? Optional.of(LocalChaosDemo.start()) : Optional.empty();
            demo.ifPresent(started::push);
            EmbeddedSqs embedded = startSqs(requested.local().sqsPort());
            started.push(embedded);
            this.sqsEndpoint = embedded.endpoint();
            EmbeddedDynamoDb dynamoDb = startDynamoDb(requested.local().dynamodbPort());
            started.push(dynamoDb);
            this.dynamoDbEndpoint = dynamoDb.endpoint();
            HeraldConfig running = requested.withSqs(requested.sqs().withEndpoint(sqsEndpoint.toString()))
                    .withStatus(requested.status().withEndpoint(dynamoDbEndpoint.toString()));
            this.config = demo.map(d -> d.configure(running)).orElse(running);
            StatusStores stores = StatusStores.open(config, true, Clock.systemUTC());
            started.push(stores);

            PipelineMetrics metrics = Services.metrics();
            SqsClient sqs = SqsClients.create(config.sqs(), metrics.sqsRequestCounter());
            started.push(sqs);
            this.queues = SqsQueues.provision(sqs, config.sqs());

            EnvelopeCodec codec = new EnvelopeCodec();
            this.outbox = Path.of(config.providers().outbox().dir()).toAbsolutePath();
            // Stopping waits for the current long poll; local queues live in memory and nobody
            // counts their requests, so local mode polls briefly and Ctrl-C stays quick.
            HeraldConfig.Pipeline pipelineConfig = config.pipeline().withReceiveWait(
                    min(config.pipeline().receiveWait(), LOCAL_RECEIVE_WAIT));
            Pipeline pipeline = new Pipeline(sqs, queues, Providers.fromConfig(config), pipelineConfig, config.sqs(),
                    metrics, stores.status(), Clock.systemUTC(), stores.control(), "local", config.control());
            pipeline.start();
            started.push(pipeline);
            this.admin = Services.startAdmin(config.pipeline(), metrics, pipeline);
            admin.ifPresent(started::push);

            // Local mode may run open (no keys configured) and says so in its banner.
            this.access = ApiAccess.fromConfig(config.api(), true);
            SqsProducer producer = new SqsProducer(sqs, codec);
            HeraldApi.Builder apiBuilder = HeraldApi.builder(config.api(), producer, queues)
                    .statusStore(stores.status())
                    .controlStore(stores.control())
                    .idempotencyStore(stores.idempotency())
                    .access(access)
                    .receivers(ReceiverParser.standard(config.receivers().defaultScheme()))
                    .readiness(StatusStores.sqsReadiness(sqs, queues))
                    .readiness(stores.readiness())
                    .overview(sqs);
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
        return new LocalStack(config, false);
    }

    /**
     * With the chaos demo: the email channel delivers through SES and SendGrid stand-ins the
     * dashboard breaks and heals, instead of into the outbox (see {@link LocalChaosDemo}).
     */
    public static LocalStack startWithDemo(HeraldConfig config) {
        return new LocalStack(config, true);
    }

    private static EmbeddedSqs startSqs(int port) {
        try {
            return EmbeddedSqs.start(port);
        } catch (IllegalStateException e) {
            throw new StartupException(e.getMessage() + " (set local.sqsPort / HERALD_LOCAL_SQS_PORT to a free port, or 0)");
        }
    }

    private static EmbeddedDynamoDb startDynamoDb(int port) {
        try {
            return EmbeddedDynamoDb.start(port);
        } catch (IllegalStateException e) {
            throw new StartupException(e.getMessage()
                    + " (set local.dynamodbPort / HERALD_LOCAL_DYNAMODB_PORT to a free port, or 0)");
        }
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

    public Path outbox() {
        return outbox;
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
