package io.herald.cli;

import io.herald.api.HeraldApi;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.EmbeddedSqs;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.pipeline.Pipeline;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The whole of Herald in one process, on loopback: an embedded SQS with the configured queues
 * and their dead-letter queues, the HTTP API, and the pipeline delivering email into an outbox
 * directory. {@code ./herald local} runs it; the end-to-end tests run exactly the same thing.
 */
public final class LocalStack implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final URI sqsEndpoint;
    private final List<QueueRef> queues;
    private final Path outbox;
    private final int apiPort;
    private final HeraldConfig config;

    private LocalStack(HeraldConfig requested) {
        try {
            EmbeddedSqs embedded = startSqs(requested.local().sqsPort());
            started.push(embedded);
            this.sqsEndpoint = embedded.endpoint();
            this.config = requested.withSqs(withEndpoint(requested.sqs(), sqsEndpoint.toString()));

            SqsClient sqs = SqsClients.create(config.sqs());
            started.push(sqs);
            this.queues = SqsQueues.provision(sqs, config.sqs());

            EnvelopeCodec codec = new EnvelopeCodec();
            this.outbox = Path.of(config.providers().outbox().dir()).toAbsolutePath();
            Pipeline pipeline = new Pipeline(sqs, queues, Services.providers(config), codec, config.pipeline());
            pipeline.start();
            started.push(pipeline);

            HeraldApi api = new HeraldApi(config.api(), new SqsProducer(sqs, codec), queues, Clock.systemUTC());
            started.push(api);
            Services.startApi(api, config.api());
            this.apiPort = api.port();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static LocalStack start(HeraldConfig config) {
        return new LocalStack(config);
    }

    private static EmbeddedSqs startSqs(int port) {
        try {
            return EmbeddedSqs.start(port);
        } catch (IllegalStateException e) {
            throw new StartupException(e.getMessage() + " (set local.sqsPort / HERALD_LOCAL_SQS_PORT to a free port, or 0)");
        }
    }

    private static HeraldConfig.Sqs withEndpoint(HeraldConfig.Sqs sqs, String endpoint) {
        return new HeraldConfig.Sqs(endpoint, sqs.region(), sqs.queues(), sqs.deadLetterSuffix(), sqs.maxReceiveCount(),
                sqs.visibilityTimeout(), sqs.maxConnections());
    }

    public URI apiUrl() {
        return URI.create("http://" + config.api().host() + ":" + apiPort);
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
