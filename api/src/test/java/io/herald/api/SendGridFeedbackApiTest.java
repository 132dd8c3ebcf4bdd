package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.feedback.DynamoFeedbackEventIds;
import io.herald.core.feedback.DynamoSoftBounces;
import io.herald.core.feedback.DynamoSuppressions;
import io.herald.core.feedback.FeedbackEvent;
import io.herald.core.feedback.FeedbackMeters;
import io.herald.core.feedback.FeedbackRecorder;
import io.herald.core.feedback.FeedbackSink;
import io.herald.core.feedback.FeedbackStoreException;
import io.herald.core.feedback.FeedbackWebhook;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.provider.sendgrid.SendGridEventWebhook;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusTable;
import io.herald.core.status.StatusUpdate;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /v1/feedback/{provider}} with SendGrid's Signed Event Webhook against the real API on loopback, event ids
 * de-duplicated in a real DynamoDB engine. SendGrid's private key cannot be had, so a P-256 pair is made here and
 * payloads shaped like SendGrid's documented ones are signed with it exactly as SendGrid signs (ECDSA over timestamp +
 * body, DER, base64).
 *
 * <p>The {@link FeedbackSink} is an in-memory recorder of what it was handed: it stands for our own interface (whose
 * DynamoDB implementation is another part's and tested there), and can be told to fail as an unreachable store does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendGridFeedbackApiTest {

    private static final String PATH = "/v1/feedback/sendgrid";

    private ApiTestbed bed;
    private KeyPair sendGrid;
    private PrometheusMeterRegistry registry;
    private HeraldApi api;
    private final RecordingSink sink = new RecordingSink();
    private final AtomicInteger tables = new AtomicInteger();

    /** What the API handed on, in order; fails the next {@code failures} events as a store that is down. */
    static final class RecordingSink implements FeedbackSink {
        final List<FeedbackEvent> events = new CopyOnWriteArrayList<>();
        final AtomicInteger failAt = new AtomicInteger(-1);

        @Override
        public void accept(FeedbackEvent event) {
            if (failAt.get() == events.size()) {
                throw new FeedbackStoreException("status table unreachable (test)", null);
            }
            events.add(event);
        }
    }

    @BeforeAll
    void startEngines() throws Exception {
        bed = new ApiTestbed();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        sendGrid = generator.generateKeyPair();
    }

    @BeforeEach
    void freshApi() {
        sink.events.clear();
        sink.failAt.set(-1);
        // A table per test, so one test's event ids cannot make another's events duplicates.
        String table = "sgfeed-" + tables.incrementAndGet();
        StatusTable.createIfMissing(bed.dynamoClient, table);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        api = bed.start(b -> b.meterRegistry(registry)
                .feedbackWebhooks(
                        webhooks(publicKey(sendGrid)),
                        meters -> sink,
                        new DynamoFeedbackEventIds(bed.dynamoClient, table, Duration.ofHours(48), Clock.systemUTC())));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    /** SendGrid's webhook as its descriptor offers it, with a small body limit. */
    private static Map<String, FeedbackWebhook> webhooks(String key) {
        SendGridConfig.EventWebhook d = SendGridConfig.EventWebhook.defaults();
        return Map.of(
                "sendgrid",
                new SendGridEventWebhook("sendgrid", new SendGridConfig.EventWebhook(key, d.replayWindow(), 4096)));
    }

    private static String publicKey(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    private static String sign(KeyPair pair, String timestamp, byte[] body) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    /** Posts {@code body} signed by {@code key} at {@code signedAt}, as SendGrid does. */
    private ApiTestbed.Answer deliver(KeyPair key, Instant signedAt, String body) throws Exception {
        return deliver(PATH, key, signedAt, body);
    }

    private ApiTestbed.Answer deliver(String path, KeyPair key, Instant signedAt, String body) throws Exception {
        String timestamp = Long.toString(signedAt.getEpochSecond());
        return bed.post(
                api,
                path,
                body,
                SendGridEventWebhook.TIMESTAMP,
                timestamp,
                SendGridEventWebhook.SIGNATURE,
                sign(key, timestamp, body.getBytes(StandardCharsets.UTF_8)));
    }

    private ApiTestbed.Answer deliver(String body) throws Exception {
        return deliver(sendGrid, Instant.now(), body);
    }

    /** One event as SendGrid's Event Webhook reference shows it, with our custom arg at the top level. */
    private static String event(String type, String eventId, String heraldId, String extra) {
        return "{\"email\":\"bob@example.org\",\"timestamp\":1733600000,"
                + "\"smtp-id\":\"<14c5d75ce93.dfd.64b469@ismtpd-555>\",\"event\":\"" + type + "\","
                + "\"category\":[\"herald\"],\"sg_event_id\":\"" + eventId + "\","
                + "\"sg_message_id\":\"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0\""
                + (heraldId == null ? "" : ",\"herald_id\":\"" + heraldId + "\"")
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String batch(String... events) {
        return "[" + String.join(",", events) + "]";
    }

    private double counted(String meter, String... tags) {
        var search = registry.find(meter).tags(tags);
        return search.counter() == null ? 0 : search.counter().count();
    }

    @Test
    void eachDeliveryOutcomeBecomesItsFeedbackEventWithHeraldsIdAndTheRestIsCountedAndIgnored() throws Exception {
        String body = batch(
                event("processed", "p1", "m1", ""),
                event(
                        "bounce",
                        "b1",
                        "m1",
                        "\"type\":\"bounce\",\"status\":\"5.1.1\",\"reason\":\"550 5.1.1 user unknown\","
                                + "\"bounce_classification\":\"Invalid Address\",\"tls\":1"),
                event(
                        "bounce",
                        "b2",
                        "m2",
                        "\"type\":\"blocked\",\"status\":\"4.7.1\",\"reason\":\"421 try later\","
                                + "\"bounce_classification\":\"Reputation\""),
                event("dropped", "d1", "m3", "\"reason\":\"Bounced Address\",\"status\":\"5.0.0\""),
                event("deferred", "f1", "m4", "\"response\":\"400 try again later\",\"attempt\":\"5\""),
                event("spamreport", "s1", "m5", ""),
                event("delivered", "v1", null, "\"response\":\"250 OK\",\"ip\":\"168.1.1.1\""),
                event("open", "o1", "m1", "\"useragent\":\"Mozilla/4.0\",\"ip\":\"255.255.255.255\""),
                event("click", "c1", "m1", "\"url\":\"https://example.org/\""),
                event("group_unsubscribe", "g1", "m1", "\"asm_group_id\":10"),
                event("brand_new_kind", "n1", "m1", ""));

        ApiTestbed.Answer answer = deliver(body);

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("received").asInt()).isEqualTo(11);
        assertThat(answer.json().path("recorded").asInt()).isEqualTo(6);
        assertThat(answer.json().path("ignored").asInt()).isEqualTo(5);
        Instant at = Instant.ofEpochSecond(1733600000);
        assertThat(sink.events)
                .containsExactly(
                        new FeedbackEvent.Bounce(
                                "sendgrid",
                                "b1",
                                "m1",
                                "bob@example.org",
                                at,
                                true,
                                "5.1.1; 550 5.1.1 user unknown; classification: Invalid Address"),
                        new FeedbackEvent.Bounce(
                                "sendgrid",
                                "b2",
                                "m2",
                                "bob@example.org",
                                at,
                                false,
                                "4.7.1; 421 try later; classification: Reputation"),
                        new FeedbackEvent.Dropped("sendgrid", "d1", "m3", "bob@example.org", at, "Bounced Address"),
                        new FeedbackEvent.Deferral(
                                "sendgrid", "f1", "m4", "bob@example.org", at, "400 try again later; attempt 5"),
                        new FeedbackEvent.Complaint("sendgrid", "s1", "m5", "bob@example.org", at, "abuse"),
                        new FeedbackEvent.Delivery("sendgrid", "v1", null, "bob@example.org", at));
        assertThat(counted("herald.api.feedback.events", "event", "open", "outcome", "ignored"))
                .isEqualTo(1);
        assertThat(counted("herald.api.feedback.events", "event", "other", "outcome", "ignored"))
                .as("an unknown type is counted under a bounded label")
                .isEqualTo(1);
        assertThat(counted("herald.api.feedback.events", "event", "bounce", "outcome", "recorded"))
                .isEqualTo(2);
    }

    @Test
    void aRetriedBatchRecordsEachEventOnce() throws Exception {
        String body = batch(event("bounce", "b1", "m1", "\"type\":\"bounce\""), event("delivered", "v1", "m2", ""));

        ApiTestbed.Answer first = deliver(body);
        ApiTestbed.Answer again = deliver(body);
        ApiTestbed.Answer overlapping =
                deliver(batch(event("delivered", "v1", "m2", ""), event("spamreport", "s1", "m2", "")));

        assertThat(first.json().path("recorded").asInt()).isEqualTo(2);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("recorded").asInt()).isZero();
        assertThat(again.json().path("duplicates").asInt()).isEqualTo(2);
        assertThat(overlapping.json().path("recorded").asInt()).isEqualTo(1);
        assertThat(sink.events).extracting(FeedbackEvent::eventId).containsExactly("b1", "v1", "s1");
        assertThat(counted("herald.api.feedback.events", "event", "delivered", "outcome", "duplicate"))
                .isEqualTo(2);
    }

    @Test
    void aStoreThatFailsGets503SoSendGridRetriesAndTheRetryLosesNothingAndRecordsNothingTwice() throws Exception {
        String body = batch(
                event("bounce", "b1", "m1", "\"type\":\"bounce\""),
                event("spamreport", "s1", "m2", ""),
                event("delivered", "v1", "m3", ""));
        sink.failAt.set(1);

        ApiTestbed.Answer failed = deliver(body);

        assertThat(failed.status()).as(failed.text()).isEqualTo(503);
        assertThat(failed.header("Retry-After")).isNotNull();
        assertThat(failed.errors().get("base")).doesNotContain("unreachable (test)");
        assertThat(sink.events).extracting(FeedbackEvent::eventId).containsExactly("b1");

        sink.failAt.set(-1);
        ApiTestbed.Answer retried = deliver(body);

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().path("duplicates").asInt()).isEqualTo(1);
        assertThat(sink.events).extracting(FeedbackEvent::eventId).containsExactly("b1", "s1", "v1");
    }

    @Test
    void staleOrFutureTimestampWrongKeyTamperedBodyAndUnsignedCallsGet401AndChangeNothing() throws Exception {
        String body = batch(event("bounce", "b1", "m1", "\"type\":\"bounce\""));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair stranger = generator.generateKeyPair();
        String now = Long.toString(Instant.now().getEpochSecond());
        String signature = sign(sendGrid, now, body.getBytes(StandardCharsets.UTF_8));
        List<ApiTestbed.Answer> refused = new ArrayList<>();

        refused.add(deliver(sendGrid, Instant.now().minus(Duration.ofMinutes(10)), body));
        refused.add(deliver(sendGrid, Instant.now().plus(Duration.ofMinutes(10)), body));
        refused.add(deliver(stranger, Instant.now(), body));
        refused.add(bed.post(
                api,
                PATH,
                body.replace("bob@", "eve@"),
                SendGridEventWebhook.TIMESTAMP,
                now,
                SendGridEventWebhook.SIGNATURE,
                signature));
        refused.add(bed.post(api, PATH, body));
        refused.add(bed.post(api, PATH, body, SendGridEventWebhook.TIMESTAMP, now));
        refused.add(bed.post(
                api,
                PATH,
                body,
                SendGridEventWebhook.TIMESTAMP,
                "yesterday",
                SendGridEventWebhook.SIGNATURE,
                signature));

        assertThat(refused).allSatisfy(a -> assertThat(a.status()).as(a.text()).isEqualTo(401));
        assertThat(refused.get(0).errors().get("base")).contains("replayWindow");
        assertThat(refused.get(2).errors().get("base")).contains("signature does not match");
        assertThat(refused.get(4).errors().get("base")).contains("not signed");
        assertThat(sink.events).isEmpty();
        assertThat(counted("herald.api.feedback.refused", "reason", "stale")).isEqualTo(3);
        assertThat(counted("herald.api.feedback.refused", "reason", "bad_signature"))
                .isEqualTo(2);
        assertThat(counted("herald.api.feedback.refused", "reason", "unsigned")).isEqualTo(2);

        ApiTestbed.Answer genuine = deliver(body);
        assertThat(genuine.json().path("recorded").asInt())
                .as("a refused call claimed no event id")
                .isEqualTo(1);
    }

    @Test
    void aBodyOverTheLimitIs413AndAMalformedEventIsNamedWhileTheRestIsRecorded() throws Exception {
        String huge = batch(event("delivered", "v1", "m1", "\"pad\":\"" + "x".repeat(5000) + "\""));

        ApiTestbed.Answer tooLarge = deliver(huge);

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errors().get("base")).contains("providers.sendgrid.eventWebhook.maxBodyBytes");

        ApiTestbed.Answer partly = deliver(batch(
                "{\"email\":\"bob@example.org\",\"event\":\"bounce\",\"timestamp\":1733600000}",
                "42",
                event("delivered", "v1", "m1", "")));

        assertThat(partly.status()).as(partly.text()).isEqualTo(200);
        assertThat(partly.json().path("malformed").asInt()).isEqualTo(2);
        assertThat(partly.json().path("problems").toString())
                .contains("events[0] has no \\\"sg_event_id\\\"")
                .contains("events[1] is not a JSON object")
                .doesNotContain("bob@");
        assertThat(sink.events).extracting(FeedbackEvent::eventId).containsExactly("v1");

        ApiTestbed.Answer notAnArray = deliver("{\"event\":\"bounce\"}");
        assertThat(notAnArray.status()).isEqualTo(400);
        assertThat(notAnArray.errors().get("base")).contains("JSON array");
    }

    /**
     * The whole path with nothing standing in: the real {@link FeedbackRecorder}, suppression list, soft-bounce counts
     * and status store, all in DynamoDB Local, as `herald api` wires them.
     */
    @Test
    void aSignedHardBounceThroughTheRealRecorderSuppressesTheAddressAndMarksTheMessageBounced() throws Exception {
        String table = "sgfeed-real-" + tables.incrementAndGet();
        StatusTable.createIfMissing(bed.dynamoClient, table);
        DynamoStatusStore status =
                new DynamoStatusStore(bed.dynamoClient, table, Duration.ofDays(7), Clock.systemUTC());
        DynamoSuppressions suppressions = new DynamoSuppressions(bed.dynamoClient, table);
        status.record(new StatusUpdate(
                "m-hard", new DeliveryState.Delivered("sendgrid", "sg-1"), Instant.now(), "ci", "example.org"));
        api = bed.start(b -> b.meterRegistry(registry)
                .feedbackWebhooks(
                        webhooks(publicKey(sendGrid)),
                        meters -> new FeedbackRecorder(
                                status,
                                suppressions,
                                new DynamoSoftBounces(bed.dynamoClient, table, Clock.systemUTC()),
                                HeraldConfig.SuppressionSettings.SoftBounceLimit.defaults(),
                                new FeedbackMeters(meters)),
                        new DynamoFeedbackEventIds(bed.dynamoClient, table, Duration.ofHours(48), Clock.systemUTC())));

        ApiTestbed.Answer answer = deliver(batch(
                event(
                        "bounce",
                        "b-hard",
                        "m-hard",
                        "\"type\":\"bounce\",\"status\":\"5.1.1\",\"reason\":\"550 5.1.1 user unknown\""),
                event("spamreport", "s-unknown", null, "").replace("bob@", "carol@")));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("recorded").asInt()).isEqualTo(2);
        assertThat(suppressions.find("BOB@example.org", null))
                .hasValueSatisfying(s -> assertThat(s.reason()).contains("550 5.1.1"));
        assertThat(suppressions.find("carol@example.org", null))
                .as("a complaint about a message Herald does not know still suppresses")
                .isPresent();
        assertThat(status.find("m-hard").orElseThrow().state()).isInstanceOf(DeliveryState.Bounced.class);
        assertThat(registry.find("herald.feedback.events").tag("type", "hard_bounce").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum())
                .as("the recorder counts on the API's registry, scraped at /metrics")
                .isEqualTo(1);
    }

    @Test
    void withoutAPublicKeyTheEndpointSaysItIsOff() throws Exception {
        HeraldApi off = bed.start(b -> b);

        ApiTestbed.Answer answer = bed.send(HttpRequest.newBuilder(ApiTestbed.uri(off, PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[]"))
                .build());

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.errors().get("base")).contains("providers.sendgrid.eventWebhook.publicKey");
    }

    @Test
    void aProviderWithoutAFeedbackWebhookOrNoProviderAtAllIs404AndCountsNothing() throws Exception {
        for (String path : List.of("/v1/feedback/telegram", "/v1/feedback/nosuchprovider")) {
            ApiTestbed.Answer answer = deliver(path, sendGrid, Instant.now(), batch(event("bounce", "x1", "m1", "")));

            assertThat(answer.status()).as(answer.text()).isEqualTo(404);
            assertThat(answer.errors().get("base")).contains("[sendgrid]");
        }
        assertThat(sink.events).isEmpty();
        assertThat(registry.find("herald.api.feedback.refused").counters()).isEmpty();
    }

    @Test
    void theFeedbackMetricsCarryTheProviderLabel() throws Exception {
        deliver(batch(event("delivered", "l1", "m1", "")));

        assertThat(registry.find("herald.api.feedback.events")
                        .tag("provider", "sendgrid")
                        .counters())
                .isNotEmpty();
    }
}
