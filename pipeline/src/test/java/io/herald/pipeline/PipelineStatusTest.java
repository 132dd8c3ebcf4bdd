package io.herald.pipeline;

import static io.herald.pipeline.PipelineTest.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.Sender;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.FeedbackOutcome;
import io.herald.core.status.FeedbackStep;
import io.herald.core.status.StatusTable;
import io.herald.core.status.StatusUpdate;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Outcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Delivery statuses written in batches, against real engines: ElasticMQ and DynamoDB Local, both in-process and spoken
 * to by the AWS SDK. Requests to the status table are counted, and outages injected, by an interceptor on the real
 * DynamoDB client: DynamoDB Local cannot be told to fail, and the interceptor fails a request the way an unreachable
 * endpoint does (an SdkClientException before anything is sent). The provider is a {@link ScriptedProvider}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineStatusTest {

    private EmbeddedSqs embeddedSqs;
    private EmbeddedDynamoDb embeddedDynamo;
    private SqsClient admin;
    private DynamoDbClient reader;
    private String table;
    private int queues;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineMetrics metrics = new PipelineMetrics(registry);
    private final StatusRequests requests = new StatusRequests();
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private HeraldConfig.Sqs sqsConfig;
    private QueueRef queue;
    private Pipeline pipeline;
    private DynamoStatusStore store;

    @BeforeAll
    void startEngines() {
        embeddedSqs = EmbeddedSqs.start(0);
        embeddedDynamo = EmbeddedDynamoDb.start(0);
        sqsConfig = sqsConfig("unused");
        admin = SqsClients.create(sqsConfig);
        table = "status-batch-test";
        reader = DynamoDbClients.create(statusConfig());
        StatusTable.createIfMissing(reader, table);
    }

    @AfterAll
    void stopEngines() {
        reader.close();
        admin.close();
        embeddedDynamo.close();
        embeddedSqs.close();
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        sqs.close();
        dynamo.close();
    }

    private HeraldConfig.Sqs sqsConfig(String queueName) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(
                embeddedSqs.endpoint().toString(),
                d.region(),
                List.of(queueName),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                Duration.ofSeconds(30),
                d.maxConnections());
    }

    private HeraldConfig.Status statusConfig() {
        HeraldConfig.Status d = HeraldConfig.defaults().status();
        return new HeraldConfig.Status(embeddedDynamo.endpoint().toString(), d.region(), table, d.ttl());
    }

    private void start(ScriptedProvider provider, HeraldConfig.PipelineSettings config) {
        sqsConfig = sqsConfig("status-test-" + (++queues));
        queue = SqsQueues.provision(admin, sqsConfig).getFirst();
        sqs = SqsClients.create(sqsConfig, metrics.sqsRequestCounter());
        dynamo = DynamoDbClients.create(statusConfig(), List.of(requests, metrics.statusRequestCounter()));
        store = new DynamoStatusStore(
                dynamo, table, HeraldConfig.defaults().status().ttl(), Clock.systemUTC());
        pipeline = new Pipeline(
                sqs,
                List.of(queue),
                List.of(new ConfiguredProvider(provider, 1)),
                config,
                sqsConfig,
                metrics,
                store,
                Clock.systemUTC());
        pipeline.start();
    }

    private static HeraldConfig.PipelineSettings config() {
        return HeraldConfig.defaults()
                .pipeline()
                .withReceiveWait(Duration.ofSeconds(1))
                .withAdminPort(-1)
                .withRetryDelays(Duration.ZERO, Duration.ZERO);
    }

    private List<Envelope> enqueue(int n) {
        List<Envelope> envelopes = IntStream.range(0, n)
                .mapToObj(i -> Envelope.create(
                                "email",
                                "to" + i + "@example.org",
                                Content.of("Subject " + i, "Body"),
                                Origin.api("test"),
                                Instant.now())
                        .withSender(new Sender("herald@Cluster.Example.edu", "Herald")))
                .toList();
        SqsProducer producer = new SqsProducer(admin, new EnvelopeCodec());
        for (int from = 0; from < n; from += 500) {
            List<EnqueueResult> results = producer.send(queue.url(), envelopes.subList(from, Math.min(n, from + 500)));
            assertThat(results).allMatch(r -> r instanceof EnqueueResult.Enqueued);
        }
        return envelopes;
    }

    @Test
    void aDrainWritesEveryFinalStatusInAFractionOfARequestPerMessage() {
        ScriptedProvider provider = new ScriptedProvider("ses", e -> new Outcome.Delivered("m-" + e.id()));
        start(provider, config());
        requests.reset();
        List<Envelope> sent = enqueue(2000);

        await().atMost(Duration.ofSeconds(120)).until(() -> messagesOn(queue.url()) == 0);

        DynamoStatusStore check = new DynamoStatusStore(reader, table, Duration.ofDays(7), Clock.systemUTC());
        for (Envelope e : sent) {
            assertThat(check.find(e.id()))
                    .as(e.id())
                    .map(StatusUpdate::state)
                    .contains(new DeliveryState.Delivered("ses", "m-" + e.id()));
        }
        double perMessage = requests.total() / (double) sent.size();
        System.out.printf(
                "status-store requests per delivered message: %.4f (%s over %d messages)%n",
                perMessage, requests.byAction, sent.size());
        assertThat(perMessage).isLessThanOrEqualTo(0.15);
        assertThat(provider.delivered).hasSize(sent.size()).doesNotHaveDuplicates();
    }

    @Test
    void aDeliveredMessageIsDeletedOnlyOnceItsStatusIsWritten() {
        ScriptedProvider provider = new ScriptedProvider("ses", e -> new Outcome.Delivered("m-1"));
        start(provider, config());
        double deletesBefore = deletes();
        double droppedBefore = dropped();
        List<Double> deletesAtFailures = new CopyOnWriteArrayList<>();
        requests.failNext(1, () -> deletesAtFailures.add(deletes() - deletesBefore));
        Envelope e = enqueue(1).getFirst();

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);

        assertThat(deletesAtFailures)
                .as("deletes made while the status write was failing")
                .containsExactly(0.0);
        assertThat(deletes() - deletesBefore).isEqualTo(1.0);
        assertThat(store.find(e.id())).map(StatusUpdate::state).contains(new DeliveryState.Delivered("ses", "m-1"));
        assertThat(dropped() - droppedBefore).isZero();
    }

    @Test
    void theDeliveredStatusKeepsTheSendersDomainSoFeedbackIsCountedByIt() {
        ScriptedProvider provider = new ScriptedProvider("ses", e -> new Outcome.Delivered("m-1"));
        start(provider, config());
        Envelope e = enqueue(1).getFirst();

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);

        assertThat(store.recordFeedback(
                        new FeedbackStep(e.id(), "sns-1", "delivery", "ses", null, java.time.Instant.now(), null)))
                .isEqualTo(new FeedbackOutcome.Recorded(false, "cluster.example.edu"));
    }

    @Test
    void anUnreachableStatusStoreCostsNoDeliveryAndIsCounted() {
        ScriptedProvider provider = new ScriptedProvider("ses", e -> new Outcome.Delivered("m-1"));
        start(provider, config());
        double droppedBefore = dropped();
        requests.failNext(Integer.MAX_VALUE, () -> {});
        List<Envelope> during = enqueue(20);

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
        assertThat(provider.delivered).hasSize(20).doesNotHaveDuplicates();
        assertThat(dropped() - droppedBefore).isEqualTo(20);

        requests.failNext(0, () -> {});
        Envelope after = enqueue(1).getFirst();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.find(after.id()).isPresent());
        assertThat(store.find(during.getFirst().id())).isEmpty();
    }

    @Test
    void onlyASendSlowEnoughToBeSeenIsRecordedAsSending() {
        ScriptedProvider provider = new ScriptedProvider("ses", e -> {
            if (e.target().contains("to0@")) {
                sleep(Duration.ofMillis(600));
            }
            return new Outcome.Delivered("m-1");
        });
        start(provider, config().withStatusTiming(Duration.ofMillis(20), Duration.ofMillis(150)));
        List<Envelope> sent = enqueue(2);
        Envelope slow = sent.get(0);
        Envelope fast = sent.get(1);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.find(slow.id())
                        .filter(u -> u.state() instanceof DeliveryState.Sending)
                        .isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);

        assertThat(store.history(slow.id())).extracting(u -> u.state().name()).containsExactly("sending", "delivered");
        assertThat(store.history(fast.id())).extracting(u -> u.state().name()).containsExactly("delivered");
    }

    @Test
    void aRejectedMessageIsDeadLetteredWithItsStatusRecordedFirst() {
        ScriptedProvider provider = new ScriptedProvider("ses", e -> new Outcome.Rejected("550 no such mailbox"));
        start(provider, config());
        Envelope e = enqueue(1).getFirst();

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);

        assertThat(store.find(e.id()))
                .map(StatusUpdate::state)
                .contains(new DeliveryState.Rejected("550 no such mailbox"));
        assertThat(messagesOn(queue.deadLetterUrl())).isEqualTo(1);
    }

    private double deletes() {
        return metrics.sqsRequests().getOrDefault("DeleteMessageBatch", 0.0);
    }

    private double dropped() {
        return registry.get("herald.status.updates")
                .tag("outcome", "dropped")
                .counter()
                .count();
    }

    /** Visible plus in-flight messages: zero means every message was settled. */
    private int messagesOn(String url) {
        Map<QueueAttributeName, String> attributes = admin.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Counts the status table's requests by action, and fails the next n writes on cue. */
    private static final class StatusRequests implements ExecutionInterceptor {
        final Map<String, AtomicInteger> byAction = new ConcurrentHashMap<>();
        private final AtomicInteger failing = new AtomicInteger();
        private volatile Runnable onFailure = () -> {};

        void reset() {
            byAction.clear();
        }

        int total() {
            return byAction.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        void failNext(int writes, Runnable whenFailing) {
            onFailure = whenFailing;
            failing.set(writes);
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (!"TransactWriteItems".equals(action)) {
                return;
            }
            if (failing.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                onFailure.run();
                throw SdkClientException.create("Unable to execute HTTP request: Connection refused (injected)");
            }
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            byAction.computeIfAbsent(String.valueOf(action), a -> new AtomicInteger())
                    .incrementAndGet();
        }
    }
}
