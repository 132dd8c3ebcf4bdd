package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.feedback.DynamoSuppressions;
import io.herald.core.feedback.Suppression;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusTable;
import io.herald.core.status.StatusUpdate;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.pacing.DomainPacer;
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
import java.util.concurrent.atomic.AtomicInteger;
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
 * Every email checked against the one suppression list before any provider is called, against real engines: ElasticMQ
 * and DynamoDB Local in-process, spoken to by the AWS SDK, the list being {@link DynamoSuppressions} in the status
 * table. The providers are {@link ScriptedProvider}s (the seam between the pipeline and the HTTP providers); an outage
 * of the list is injected by an interceptor on the real DynamoDB client, which DynamoDB Local cannot be told to have.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineSuppressionTest {

    private EmbeddedSqs embeddedSqs;
    private EmbeddedDynamoDb embeddedDynamo;
    private SqsClient admin;
    private DynamoDbClient reader;
    private DynamoSuppressions list;
    private DynamoStatusStore check;
    private final String table = "suppression-test";
    private int queues;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineMetrics metrics = new PipelineMetrics(registry);
    private final ListRequests requests = new ListRequests();
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private QueueRef queue;
    private Pipeline pipeline;

    @BeforeAll
    void startEngines() {
        embeddedSqs = EmbeddedSqs.start(0);
        embeddedDynamo = EmbeddedDynamoDb.start(0);
        admin = SqsClients.create(sqsConfig("unused"));
        reader = DynamoDbClients.create(statusConfig());
        StatusTable.createIfMissing(reader, table);
        list = new DynamoSuppressions(reader, table);
        check = new DynamoStatusStore(reader, table, Duration.ofDays(7), Clock.systemUTC());
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

    private void start(ScriptedProvider... providers) {
        HeraldConfig.Sqs sqsConfig = sqsConfig("suppression-test-" + (++queues));
        queue = SqsQueues.provision(admin, sqsConfig).getFirst();
        sqs = SqsClients.create(sqsConfig, metrics.sqsRequestCounter());
        dynamo = DynamoDbClients.create(statusConfig(), List.of(requests));
        pipeline = new Pipeline(
                sqs,
                List.of(queue),
                java.util.Arrays.stream(providers)
                        .map(p -> new ConfiguredProvider(p, 1))
                        .toList(),
                HeraldConfig.defaults()
                        .pipeline()
                        .withReceiveWait(Duration.ofSeconds(1))
                        .withAdminPort(-1)
                        .withRetryDelays(Duration.ZERO, Duration.ZERO),
                sqsConfig,
                metrics,
                new DynamoStatusStore(dynamo, table, Duration.ofDays(7), Clock.systemUTC()),
                Clock.systemUTC(),
                null,
                "test",
                HeraldConfig.Control.defaults(),
                new DynamoSuppressions(dynamo, table),
                new DomainPacer(HeraldConfig.Pacing.defaults(), Clock.systemUTC()));
        pipeline.start();
    }

    private static Envelope email(String to) {
        return Envelope.create("email", to, Content.of("Subject", "Body"), Origin.api("test"), Instant.now());
    }

    private void enqueue(Envelope... envelopes) {
        List<EnqueueResult> results = new SqsProducer(admin, new EnvelopeCodec()).send(queue.url(), List.of(envelopes));
        assertThat(results).allMatch(r -> r instanceof EnqueueResult.Enqueued);
    }

    private DeliveryState stateOf(Envelope e) {
        return check.find(e.id()).map(StatusUpdate::state).orElse(null);
    }

    private double counted(String meter) {
        return registry.find(meter).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void aSuppressedEmailEndsSuppressedUnsentAndLeavesTheQueueWhileTheOthersAreDelivered() {
        list.add(new Suppression("bounced@example.org", "*", "hard bounce: 550 5.1.1", "ses", Instant.now()));
        list.add(new Suppression("reader@example.org", "news", "unsubscribed", "unsubscribe", Instant.now()));
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.Delivered("m-" + e.id()));
        start(ses);
        double suppressedBefore = counted("herald.suppressed");
        Envelope bounced = email("Bounced@Example.org");
        Envelope news = email("reader@example.org").withCategory("news");
        Envelope receipt = email("reader@example.org").withCategory(Envelope.TRANSACTIONAL);
        Envelope fine = email("fine@example.org");

        enqueue(bounced, news, receipt, fine);

        await().atMost(Duration.ofSeconds(60)).until(() -> messagesOn(queue.url()) == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(fine) != null && stateOf(bounced) != null);
        assertThat(ses.delivered).containsExactlyInAnyOrder(receipt.id(), fine.id());
        assertThat(ses.attempts).hasValue(2);
        assertThat(stateOf(bounced)).isEqualTo(new DeliveryState.Suppressed("hard bounce: 550 5.1.1 (ses)"));
        assertThat(stateOf(news)).isEqualTo(new DeliveryState.Suppressed("unsubscribed (unsubscribe)"));
        assertThat(stateOf(receipt)).isInstanceOf(DeliveryState.Delivered.class);
        assertThat(counted("herald.suppressed") - suppressedBefore).isEqualTo(2);
        assertThat(messagesOn(queue.deadLetterUrl()))
                .as("settled, not set aside")
                .isZero();
    }

    @Test
    void anAddressSuppressedWhileItsFirstSendFailsIsNotFailedOverToTheNextProvider() {
        String address = "late-bounce@example.org";
        AtomicInteger attemptsToIt = new AtomicInteger();
        java.util.function.Function<Envelope, Outcome> script = e -> {
            if (!e.target().equals(address)) {
                return new Outcome.Delivered("m-" + e.id());
            }
            attemptsToIt.incrementAndGet();
            // Feedback about an earlier email arrives while this one fails: the list gains the address.
            list.add(new Suppression(address, "*", "complaint: abuse", "sendgrid", Instant.now()));
            return new Outcome.ProviderDown("HTTP 503");
        };
        ScriptedProvider ses = new ScriptedProvider("ses", script);
        ScriptedProvider sendgrid = new ScriptedProvider("sendgrid", script);
        start(ses, sendgrid);
        Envelope e = email(address);

        enqueue(e);

        await().atMost(Duration.ofSeconds(60)).until(() -> messagesOn(queue.url()) == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(e) instanceof DeliveryState.Suppressed);
        assertThat(attemptsToIt)
                .as("the first attempt only, on neither provider again")
                .hasValue(1);
        assertThat(check.history(e.id()))
                .extracting(u -> u.state().name())
                .containsSubsequence("retrying", "suppressed");
    }

    @Test
    void whenTheListCannotBeReadNothingIsSentAndTheEmailIsRetriedUntilItCanBe() {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.Delivered("m-" + e.id()));
        start(ses);
        double unreadableBefore = counted("herald.suppression.unreadable");
        requests.failChecks(2);
        Envelope e = email("someone@example.org");

        enqueue(e);

        await().atMost(Duration.ofSeconds(60)).until(() -> messagesOn(queue.url()) == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(e) instanceof DeliveryState.Delivered);
        assertThat(ses.attempts).as("never sent unchecked, sent once checked").hasValue(1);
        assertThat(counted("herald.suppression.unreadable") - unreadableBefore).isEqualTo(2);
        assertThat(check.history(e.id()))
                .extracting(u -> u.state() instanceof DeliveryState.Retrying r
                        ? r.lastError()
                        : u.state().name())
                .contains("suppression list unreadable");
    }

    @Test
    void eachReadOfEmailsIsCheckedInOneRequest() {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.Delivered("m-" + e.id()));
        start(ses);
        requests.reset();
        Envelope[] emails = new Envelope[200];
        for (int i = 0; i < emails.length; i++) {
            emails[i] = email("r" + i + "@example.org");
        }

        enqueue(emails);

        await().atMost(Duration.ofSeconds(60)).until(() -> ses.delivered.size() == emails.length);
        int checks = requests.count("BatchGetItem");
        double receives = metrics.sqsRequests().getOrDefault("ReceiveMessage", 0.0);
        System.out.printf(
                "suppression checks: %d BatchGetItem request(s) for %d emails (%.3f per email)%n",
                checks, emails.length, checks / (double) emails.length);
        assertThat(checks).as("at most one per receive that returned emails").isLessThanOrEqualTo((int) receives);
        assertThat(checks).as("a read takes up to ten").isLessThanOrEqualTo(emails.length / 2);
        assertThat(requests.count("GetItem")).isZero();
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

    /** Counts the pipeline's requests to the status table by action, and fails the next n list reads on cue. */
    private static final class ListRequests implements ExecutionInterceptor {
        final Map<String, AtomicInteger> byAction = new ConcurrentHashMap<>();
        private final AtomicInteger failing = new AtomicInteger();

        void reset() {
            byAction.clear();
        }

        int count(String action) {
            return byAction.getOrDefault(action, new AtomicInteger()).get();
        }

        void failChecks(int n) {
            failing.set(n);
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if ("BatchGetItem".equals(action) && failing.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
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
