package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Outcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the pipeline costs in SQS requests at a steady low rate, where every message used to bring its own
 * GetQueueAttributes, ReceiveMessage and one-entry DeleteMessageBatch. ElasticMQ in-process, the pipeline's requests
 * counted by {@link PipelineMetrics#sqsRequestCounter()} on its real SDK client; the producer uses a client of its own,
 * so its sends are not counted. The provider is a {@link ScriptedProvider} (the HTTP providers have their own tests
 * against fakes of their APIs).
 */
class SteadyRateTest {

    private static final int RATE_PER_SECOND = 50;
    private static final int MESSAGES = 300;

    private final PipelineMetrics metrics = new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    private EmbeddedSqs embedded;
    private SqsClient admin;
    private SqsClient sqs;
    private HeraldConfig.Sqs sqsConfig;
    private QueueRef queue;
    private Pipeline pipeline;

    @BeforeEach
    void startSqs() {
        embedded = EmbeddedSqs.start(0);
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        sqsConfig = new HeraldConfig.Sqs(
                embedded.endpoint().toString(),
                d.region(),
                List.of("steady"),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                Duration.ofSeconds(30),
                d.maxConnections());
        admin = SqsClients.create(sqsConfig);
        queue = SqsQueues.provision(admin, sqsConfig).getFirst();
        sqs = SqsClients.create(sqsConfig, metrics.sqsRequestCounter());
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        sqs.close();
        admin.close();
        embedded.close();
    }

    /** The shipped request-saving waits, with a short idle long poll so the test ends soon. */
    private void start(ScriptedProvider provider) {
        HeraldConfig.PipelineSettings config = HeraldConfig.defaults()
                .pipeline()
                .withReceiveWait(Duration.ofSeconds(1))
                .withAdminPort(-1);
        pipeline = new Pipeline(
                sqs,
                List.of(queue),
                List.of(new ConfiguredProvider(provider, 1)),
                config,
                sqsConfig,
                metrics,
                null,
                Clock.systemUTC());
        pipeline.start();
    }

    @Test
    void atASteadyFiftyPerSecondEachMessageCostsAtMostOneSqsRequest() throws InterruptedException {
        ScriptedProvider provider = new ScriptedProvider("ses", e -> new Outcome.Delivered("ok"));
        start(provider);
        AtomicInteger enqueued = new AtomicInteger();
        Thread producer = Thread.ofVirtual().name("steady-producer").start(() -> produce(enqueued));

        producer.join();
        assertThat(enqueued.get()).isEqualTo(MESSAGES);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> provider.delivered.size() >= MESSAGES && messagesOn(queue.url()) == 0);
        pipeline.close();
        pipeline = null;

        assertThat(new HashSet<>(provider.delivered)).as("each delivered once").hasSize(MESSAGES);
        assertThat(provider.delivered).hasSize(MESSAGES);
        Map<String, Double> requests = metrics.sqsRequests();
        double total =
                requests.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf(
                "steady %d msg/s, %d messages: %.3f SQS requests per message %s%n",
                RATE_PER_SECOND, MESSAGES, total / MESSAGES, requests);
        assertThat(total / MESSAGES)
                .as("SQS requests per delivered message: " + requests)
                .isLessThanOrEqualTo(1.0);
    }

    @Test
    void anIdleQueueIsLongPolledWithoutAskingItsDepthAgain() {
        start(new ScriptedProvider("ses", e -> new Outcome.Delivered("ok")));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> metrics.sqsRequests().getOrDefault("ReceiveMessage", 0.0) >= 3);

        assertThat(metrics.sqsRequests().get("GetQueueAttributes"))
                .as("asked once, at the start")
                .isEqualTo(1.0);
    }

    /**
     * Enqueues one message at a time (SendMessageBatch of one: the producer's cost is not what is measured) on a fixed
     * schedule, catching up after a late send so the rate holds on average.
     */
    private void produce(AtomicInteger enqueued) {
        SqsProducer producer = new SqsProducer(admin, new EnvelopeCodec());
        long start = System.nanoTime();
        long gap = 1_000_000_000L / RATE_PER_SECOND;
        for (int i = 0; i < MESSAGES; i++) {
            long wait = start + i * gap - System.nanoTime();
            if (wait > 0) {
                PipelineTest.sleep(Duration.ofNanos(wait));
            }
            Envelope envelope = Envelope.create(
                    "email",
                    "to" + i + "@example.org",
                    Content.of("Subject " + i, "Body"),
                    Origin.api("test"),
                    Instant.now());
            List<EnqueueResult> results = producer.send(queue.url(), List.of(envelope));
            if (results.getFirst() instanceof EnqueueResult.Enqueued) {
                enqueued.incrementAndGet();
            }
        }
    }

    private int messagesOn(String url) {
        Map<QueueAttributeName, String> attributes = admin.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
