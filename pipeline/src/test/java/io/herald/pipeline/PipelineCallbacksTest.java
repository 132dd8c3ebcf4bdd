package io.herald.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.standardwebhooks.Webhook;
import io.herald.core.callback.CallbackQueue;
import io.herald.core.callback.CallbackStatusStore;
import io.herald.core.callback.CallbackTargets;
import io.herald.core.callback.WebhookSigner;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.retry.Backoff;
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
import io.herald.pipeline.callback.CallbackDeliverer;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Signed status callbacks end to end, on real engines only: ElasticMQ (the callbacks queue, spoken to by the AWS SDK),
 * DynamoDB Local (the status store), and a WireMock callback target on 127.0.0.1 (hence allowPrivateTargets, except in
 * the test of the guard). Signatures are checked by the Standard Webhooks reference verifier, not by Herald's signer.
 * The retry schedule is shortened by configuration (1 s waits) and waited for by condition, never by sleeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineCallbacksTest {

    private static final String SECRET = "whsec_"
            + Base64.getEncoder().encodeToString(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                29, 30
            });
    private static final List<Duration> SHORT_SCHEDULE = List.of(Duration.ofSeconds(1), Duration.ofSeconds(1));
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedSqs embeddedSqs;
    private EmbeddedDynamoDb embeddedDynamo;
    private WireMockServer target;
    private SqsClient sqs;
    private DynamoDbClient dynamo;
    private DynamoStatusStore raw;
    private HeraldConfig.Sqs sqsConfig;
    private int queues;

    private SimpleMeterRegistry registry;
    private String callbackQueue;
    private CallbackStatusStore store;
    private CallbackDeliverer deliverer;
    private Pipeline pipeline;

    @BeforeAll
    void startEngines() {
        embeddedSqs = EmbeddedSqs.start(0);
        embeddedDynamo = EmbeddedDynamoDb.start(0);
        target = Fakes.start();
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        sqsConfig = new HeraldConfig.Sqs(
                embeddedSqs.endpoint().toString(),
                d.region(),
                List.of("unused"),
                d.deadLetterSuffix(),
                10,
                Duration.ofSeconds(30),
                d.maxConnections());
        sqs = SqsClients.create(sqsConfig);
        HeraldConfig.Status s = HeraldConfig.defaults().status();
        HeraldConfig.Status status =
                new HeraldConfig.Status(embeddedDynamo.endpoint().toString(), s.region(), "callbacks-test", s.ttl());
        dynamo = DynamoDbClients.create(status);
        StatusTable.createIfMissing(dynamo, status.table());
        raw = new DynamoStatusStore(dynamo, status.table(), status.ttl(), Clock.systemUTC());
    }

    @AfterAll
    void stopEngines() {
        target.stop();
        dynamo.close();
        sqs.close();
        embeddedDynamo.close();
        embeddedSqs.close();
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
        if (deliverer != null) {
            deliverer.close();
        }
        target.resetAll();
    }

    /** A fresh callbacks queue, the store that feeds it and a deliverer reading it. */
    private void startCallbacks(boolean allowPrivateTargets) {
        registry = new SimpleMeterRegistry();
        QueueRef ref =
                SqsQueues.provision(sqs, withQueue("callbacks-" + (++queues))).getFirst();
        callbackQueue = ref.url();
        store = new CallbackStatusStore(raw, new CallbackQueue(sqs, callbackQueue), registry);
        deliverer = new CallbackDeliverer(
                sqs,
                callbackQueue,
                WebhookSigner.of(Secret.of(SECRET)),
                new CallbackTargets(allowPrivateTargets),
                SHORT_SCHEDULE,
                Duration.ofSeconds(10),
                raw,
                registry,
                Clock.systemUTC(),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                Duration.ofSeconds(1));
        deliverer.start();
    }

    private HeraldConfig.Sqs withQueue(String name) {
        return new HeraldConfig.Sqs(
                sqsConfig.endpoint(),
                sqsConfig.region(),
                List.of(name),
                sqsConfig.deadLetterSuffix(),
                10,
                Duration.ofSeconds(30),
                sqsConfig.maxConnections());
    }

    private String url(String path) {
        return Fakes.baseUrl(target) + path + "?token=s3cret-token";
    }

    private double counted(String outcome) {
        return registry.get("herald.callbacks")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private List<LoggedRequest> posts(String path) {
        return target.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    private int onCallbackQueue() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(callbackQueue)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The reference library's check, on the request as the target received it. */
    private static void assertSigned(LoggedRequest request) {
        assertThatCode(() -> new Webhook(SECRET)
                        .verify(
                                request.getBodyAsString(),
                                Map.of(
                                        "webhook-id", List.of(request.getHeader("webhook-id")),
                                        "webhook-timestamp", List.of(request.getHeader("webhook-timestamp")),
                                        "webhook-signature", List.of(request.getHeader("webhook-signature")))))
                .as("Standard Webhooks verification")
                .doesNotThrowAnyException();
    }

    private static JsonNode body(LoggedRequest request) throws Exception {
        return JSON.readTree(request.getBodyAsString());
    }

    private static StatusUpdate update(String id, DeliveryState state, String url) {
        return new StatusUpdate(id, state, Instant.now(), null, url);
    }

    @Test
    void aDeliveredMessagePostsEachOfItsStatusChangesSignedToItsCallbackUrl() throws Exception {
        target.stubFor(post(urlPathEqualTo("/hooks/a")).willReturn(aResponse().withStatus(204)));
        startCallbacks(true);
        QueueRef deliveries =
                SqsQueues.provision(sqs, withQueue("deliveries-" + (++queues))).getFirst();
        ScriptedProvider provider = new ScriptedProvider("ses", e -> new Outcome.Delivered("ses-" + e.id()));
        pipeline = new Pipeline(
                sqs,
                List.of(deliveries),
                List.of(new ConfiguredProvider(provider, 1)),
                HeraldConfig.defaults()
                        .pipeline()
                        .withReceiveWait(Duration.ofSeconds(1))
                        .withAdminPort(-1),
                withQueue(deliveries.name()),
                new PipelineMetrics(new SimpleMeterRegistry()),
                store,
                Clock.systemUTC());
        pipeline.start();
        Envelope envelope = Envelope.create(
                        "email", "to@example.org", Content.of("Subject", "Body"), Origin.api("ci"), Instant.now())
                .withCallbackUrl(url("/hooks/a"));
        // As the API records a request's messages: queued, with the callback URL, before they go to SQS.
        store.recordNew(List.of(new StatusUpdate(
                envelope.id(), new DeliveryState.Queued(), envelope.createdAt(), "ci", envelope.callbackUrl())));
        new SqsProducer(sqs, new EnvelopeCodec()).send(deliveries.url(), List.of(envelope));

        await().atMost(Duration.ofSeconds(60)).until(() -> posts("/hooks/a").size() >= 2);

        List<LoggedRequest> received = posts("/hooks/a");
        assertThat(received).hasSize(2);
        received.forEach(PipelineCallbacksTest::assertSigned);
        List<String> types = received.stream()
                .map(r -> {
                    try {
                        return body(r).path("type").asText();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
        assertThat(types).containsExactlyInAnyOrder("message.queued", "message.delivered");
        JsonNode delivered = body(received.stream()
                .filter(r -> r.getBodyAsString().contains("message.delivered"))
                .findFirst()
                .orElseThrow());
        assertThat(delivered.path("data").path("messageId").asText()).isEqualTo(envelope.id());
        assertThat(delivered
                        .path("data")
                        .path("details")
                        .path("providerMessageId")
                        .asText())
                .isEqualTo("ses-" + envelope.id());
        assertThat(received.get(0).getHeader("webhook-id"))
                .isNotEqualTo(received.get(1).getHeader("webhook-id"));
        assertThat(received.get(0).queryParameter("token").firstValue()).isEqualTo("s3cret-token");
        assertThat(counted("delivered")).isEqualTo(2.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> onCallbackQueue() == 0);
    }

    @Test
    void aFailingTargetIsRetriedOnTheScheduleThenGivenUpAndNotedOnTheStatus() {
        target.stubFor(
                post(urlPathEqualTo("/hooks/down")).willReturn(aResponse().withStatus(500)));
        startCallbacks(true);
        String id = "0190aaaa-0000-7000-8000-000000000001";
        store.recordNew(List.of(update(id, new DeliveryState.Queued(), url("/hooks/down"))));

        await().atMost(Duration.ofSeconds(60)).until(() -> counted("given_up") == 1.0);

        List<LoggedRequest> attempts = posts("/hooks/down");
        // One attempt, then one after each wait of the schedule.
        assertThat(attempts).hasSize(1 + SHORT_SCHEDULE.size());
        assertThat(attempts)
                .extracting(r -> r.getHeader("webhook-id"))
                .containsOnly(attempts.getFirst().getHeader("webhook-id"));
        assertThat(attempts)
                .extracting(LoggedRequest::getBodyAsString)
                .containsOnly(attempts.getFirst().getBodyAsString());
        attempts.forEach(PipelineCallbacksTest::assertSigned);
        assertThat(counted("retrying")).isEqualTo(SHORT_SCHEDULE.size());
        assertThat(raw.callbackGivenUp(id))
                .hasValueSatisfying(note -> assertThat(note)
                        .contains("'queued' callback")
                        .contains("after 3 attempts")
                        .contains("HTTP 500")
                        .doesNotContain("s3cret"));
        await().atMost(Duration.ofSeconds(30)).until(() -> onCallbackQueue() == 0);
    }

    @Test
    void aTargetThatRecoversGetsTheSameCallbackOnTheNextAttempt() {
        target.stubFor(post(urlPathEqualTo("/hooks/flaky"))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        target.stubFor(post(urlPathEqualTo("/hooks/flaky"))
                .inScenario("flaky")
                .whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        startCallbacks(true);
        String id = "0190aaaa-0000-7000-8000-000000000002";
        store.recordAll(List.of(update(id, new DeliveryState.Retrying(1, "SES throttled"), url("/hooks/flaky"))));

        await().atMost(Duration.ofSeconds(60)).until(() -> counted("delivered") == 1.0);

        List<LoggedRequest> attempts = posts("/hooks/flaky");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).getHeader("webhook-id"))
                .isEqualTo(attempts.get(0).getHeader("webhook-id"));
        assertSigned(attempts.get(1));
        assertThat(counted("retrying")).isEqualTo(1.0);
        assertThat(counted("given_up")).isZero();
    }

    @Test
    void aRedirectIsAFailedAttemptAndIsNotFollowed() {
        target.stubFor(post(urlPathEqualTo("/hooks/moved"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", Fakes.baseUrl(target) + "/elsewhere")));
        target.stubFor(post(urlPathEqualTo("/elsewhere")).willReturn(aResponse().withStatus(200)));
        startCallbacks(true);
        String id = "0190aaaa-0000-7000-8000-000000000003";
        store.recordAll(List.of(update(id, new DeliveryState.Rejected("bad address"), url("/hooks/moved"))));

        await().atMost(Duration.ofSeconds(60)).until(() -> counted("given_up") == 1.0);

        assertThat(posts("/hooks/moved")).hasSize(3);
        assertThat(posts("/elsewhere")).isEmpty();
        assertThat(raw.callbackGivenUp(id))
                .hasValueSatisfying(
                        note -> assertThat(note).contains("HTTP 307").contains("redirects are not followed"));
    }

    @Test
    void aLoopbackTargetIsRefusedWhenPostingUnlessPrivateTargetsAreAllowed() {
        target.stubFor(
                post(urlPathEqualTo("/hooks/private")).willReturn(aResponse().withStatus(200)));
        startCallbacks(false);
        String id = "0190aaaa-0000-7000-8000-000000000004";
        store.recordNew(List.of(update(id, new DeliveryState.Queued(), url("/hooks/private"))));

        await().atMost(Duration.ofSeconds(60)).until(() -> counted("given_up") == 1.0);

        assertThat(posts("/hooks/private")).isEmpty();
        assertThat(raw.callbackGivenUp(id))
                .hasValueSatisfying(note -> assertThat(note)
                        .contains("target refused")
                        .contains("loopback")
                        .doesNotContain("s3cret"));
    }

    @Test
    void aBounceRecordedByMessageIdAloneIsPostedToTheUrlStoredWithTheStatus() throws Exception {
        target.stubFor(
                post(urlPathEqualTo("/hooks/feedback")).willReturn(aResponse().withStatus(200)));
        startCallbacks(true);
        String id = "0190aaaa-0000-7000-8000-000000000005";
        store.recordNew(List.of(update(id, new DeliveryState.Queued(), url("/hooks/feedback"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> counted("delivered") == 1.0);

        // Feedback knows the message id only, as a bounce from SES or SendGrid does.
        store.record(
                new StatusUpdate(id, new DeliveryState.Bounced(true, "550 5.1.1 user unknown", "ses"), Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> counted("delivered") == 2.0);
        JsonNode bounce = body(posts("/hooks/feedback").stream()
                .filter(r -> r.getBodyAsString().contains("message.bounced"))
                .findFirst()
                .orElseThrow());
        assertThat(bounce.path("data").path("details").path("kind").asText()).isEqualTo("hard");
        assertThat(bounce.path("data").path("details").path("diagnostic").asText())
                .isEqualTo("550 5.1.1 user unknown");
    }

    @Test
    void aBounceRecordedAsFeedbackIsPostedOnceAndKeepsItsPlaceInTheFeedbackList() {
        target.stubFor(
                post(urlPathEqualTo("/hooks/recorded")).willReturn(aResponse().withStatus(200)));
        startCallbacks(true);
        String id = "0190aaaa-0000-7000-8000-000000000007";
        store.recordNew(List.of(update(id, new DeliveryState.Queued(), url("/hooks/recorded"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> counted("delivered") == 1.0);

        // As FeedbackRecorder records it: through the store's atomic feedback rule, twice (an SQS redelivery).
        FeedbackStep bounce = new FeedbackStep(
                id,
                "ses-event-1",
                "hard-bounce",
                "ses",
                "550 5.1.1 user unknown",
                Instant.now(),
                new DeliveryState.Bounced(true, "550 5.1.1 user unknown", "ses"));
        assertThat(store.recordFeedback(bounce)).isInstanceOf(FeedbackOutcome.Recorded.class);
        assertThat(store.recordFeedback(bounce)).isInstanceOf(FeedbackOutcome.AlreadyRecorded.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> counted("delivered") == 2.0);
        assertThat(posts("/hooks/recorded").stream()
                        .filter(r -> r.getBodyAsString().contains("message.bounced"))
                        .count())
                .as("the repeated event posts nothing more")
                .isEqualTo(1);
        assertThat(raw.timeline(id).feedback())
                .as("forwarded to the store's own rule")
                .hasSize(1);
    }

    @Test
    void updatesWithoutACallbackUrlQueueNothing() {
        startCallbacks(true);

        store.recordAll(List.of(
                update("0190aaaa-0000-7000-8000-000000000006", new DeliveryState.Sending("ses"), null),
                update("0190aaaa-0000-7000-8000-000000000006", new DeliveryState.Delivered("ses", "x"), null)));

        assertThat(registry.get("herald.callbacks.queued").counter().count()).isZero();
        assertThat(onCallbackQueue()).isZero();
    }
}
