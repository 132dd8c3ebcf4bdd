package io.herald.pipeline.provider.ses.feedback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.config.ConfigException;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.feedback.DynamoSoftBounces;
import io.herald.core.feedback.DynamoSuppressions;
import io.herald.core.feedback.FeedbackEvent;
import io.herald.core.feedback.FeedbackMeters;
import io.herald.core.feedback.FeedbackRecorder;
import io.herald.core.feedback.FeedbackSink;
import io.herald.core.feedback.FeedbackStoreException;
import io.herald.core.feedback.Suppression;
import io.herald.core.provider.ses.SesConfig;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.provider.FeedbackIntake;
import io.herald.pipeline.provider.Providers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SES feedback reader against a real SQS (ElasticMQ in-process, the AWS SDK) and a real HTTPS server for the SNS
 * signing certificate (WireMock over TLS on 127.0.0.1). The SNS envelopes are signed here, as SNS signs them, with a
 * key and certificate keytool generates for this run; the certificate's host is allowed through the test-only
 * {@code providers.ses.feedback.certificateHosts}. The {@link FeedbackSink} is an in-memory recorder of our own
 * interface (what the sink does with events is another part's concern and tested there).
 */
class SesFeedbackReaderTest {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:herald-ses-events";
    private static final String PASSWORD = "herald-test";
    private static final String CERT_PATH = "/SimpleNotificationService-0000000000000000000000.pem";

    @TempDir
    static Path keys;

    private static EmbeddedSqs embedded;
    private static SqsClient sqs;
    private static WireMockServer certificateHost;
    private static PrivateKey signingKey;
    private static SSLContext trustingTheTestCertificate;
    private static final AtomicInteger queueCounter = new AtomicInteger();

    private final ObjectMapper json = new ObjectMapper();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<FeedbackEvent> recorded = new CopyOnWriteArrayList<>();
    private QueueRef queue;
    private SesFeedbackReader reader;

    @BeforeAll
    static void start() throws Exception {
        Path store = keys.resolve("sns.p12");
        // keytool is the JDK's own: one RSA key and a self-signed certificate for 127.0.0.1, used both to sign the
        // envelopes (as SNS's key) and to serve the certificate over TLS.
        Path keytool =
                Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "sns",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=sns.test",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        signingKey = (PrivateKey) keyStore.getKey("sns", PASSWORD.toCharArray());
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate("sns");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("sns", certificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        trustingTheTestCertificate = SSLContext.getInstance("TLS");
        trustingTheTestCertificate.init(null, trustManagers.getTrustManagers(), null);

        certificateHost = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .httpsPort(0)
                .keystorePath(store.toString())
                .keystorePassword(PASSWORD)
                .keyManagerPassword(PASSWORD)
                .keystoreType("PKCS12")
                .containerThreads(8)
                .jettyAcceptors(1));
        certificateHost.start();
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        certificateHost.stubFor(get(urlEqualTo(CERT_PATH))
                .willReturn(aResponse().withStatus(200).withBody(pem)));

        embedded = EmbeddedSqs.start(0);
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        sqs = SqsClients.create(new HeraldConfig.Sqs(
                embedded.endpoint().toString(),
                d.region(),
                List.of("unused"),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                d.visibilityTimeout(),
                d.maxConnections()));
    }

    @AfterAll
    static void stop() {
        sqs.close();
        embedded.close();
        certificateHost.stop();
    }

    @AfterEach
    void stopReader() {
        if (reader != null) {
            reader.close();
        }
    }

    @Test
    void endToEndAHardBounceAndAComplaintSuppressTheirAddressesInTheStatusTable() throws Exception {
        // The real sink: the FeedbackRecorder on the status store, suppression list and soft-bounce counts of a status
        // table in DynamoDB Local.
        try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0)) {
            HeraldConfig.Status status = new HeraldConfig.Status(
                    dynamoDb.endpoint().toString(), "us-east-1", "ses-feedback-status", Duration.ofDays(1));
            try (DynamoDbClient dynamo = DynamoDbClients.create(status)) {
                StatusTable.createIfMissing(dynamo, status.table());
                DynamoSuppressions suppressions = new DynamoSuppressions(dynamo, status.table());
                startReader(new FeedbackRecorder(
                        new DynamoStatusStore(dynamo, status.table(), status.ttl(), Clock.systemUTC()),
                        suppressions,
                        new DynamoSoftBounces(dynamo, status.table(), Clock.systemUTC()),
                        HeraldConfig.defaults().suppression().softBounces(),
                        new FeedbackMeters(meters)));
                send(envelope(
                        SesEventRecords.bounce("01HERALD-E1", "Permanent", "Gone@Example.com", "smtp; 550 5.1.1"),
                        "2",
                        TOPIC));
                send(envelope(SesEventRecords.complaint("01HERALD-E2", "angry@example.com"), "1", TOPIC));

                await().atMost(Duration.ofSeconds(60))
                        .until(() -> suppressions.find("gone@example.com", null).isPresent()
                                && suppressions.find("angry@example.com", null).isPresent());
                assertThat(suppressions.find("gone@example.com", "newsletter")).hasValueSatisfying(s -> {
                    assertThat(s.source()).isEqualTo("ses");
                    assertThat(s.category()).isEqualTo(Suppression.ALL_CATEGORIES);
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> messagesIn(queue.url()) == 0);
                reader.close();
                reader = null;
            }
        }
    }

    /** A fresh feedback queue (visibility 1 s, so a message left for later comes back within the test). */
    private void startReader(FeedbackSink sink) {
        String name = "ses-feedback-" + queueCounter.incrementAndGet();
        String deadLetterUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String url = sqs.createQueue(
                        b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1")))
                .queueUrl();
        queue = new QueueRef(name, url, deadLetterUrl);
        // Each reader keeps its own certificates: count only this one's fetches.
        certificateHost.resetRequests();
        HttpClient http = HttpClient.newBuilder()
                .sslContext(trustingTheTestCertificate)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        reader = new SesFeedbackReader(
                sqs,
                queue,
                new SesConfig.Feedback(name, TOPIC, "127\\.0\\.0\\.1"),
                sink,
                meters,
                Clock.systemUTC(),
                Duration.ofSeconds(1),
                http);
        reader.start();
    }

    private void startReader() {
        startReader(recorded::add);
    }

    private String certificateUrl() {
        return "https://127.0.0.1:" + certificateHost.httpsPort() + CERT_PATH;
    }

    /** An SNS Notification envelope around {@code message}, signed as SNS signs one. */
    private String envelope(String message, String version, String topic) throws Exception {
        String id = UUID.randomUUID().toString();
        String timestamp = "2026-12-07T20:41:03.100Z";
        String toSign = "Message\n" + message + "\nMessageId\n" + id + "\nTimestamp\n" + timestamp + "\nTopicArn\n"
                + topic + "\nType\nNotification\n";
        Signature signer = Signature.getInstance("1".equals(version) ? "SHA1withRSA" : "SHA256withRSA");
        signer.initSign(signingKey);
        signer.update(toSign.getBytes(StandardCharsets.UTF_8));
        ObjectNode envelope = json.createObjectNode()
                .put("Type", "Notification")
                .put("MessageId", id)
                .put("TopicArn", topic)
                .put("Message", message)
                .put("Timestamp", timestamp)
                .put("SignatureVersion", version)
                .put("Signature", Base64.getEncoder().encodeToString(signer.sign()))
                .put("SigningCertURL", certificateUrl())
                .put("UnsubscribeURL", "https://127.0.0.1:1/?Action=Unsubscribe&SubscriptionArn=" + topic + ":x");
        return json.writeValueAsString(envelope);
    }

    private void send(String body) {
        sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody(body));
    }

    private long messagesIn(String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private List<Message> deadLetters() {
        return sqs.receiveMessage(b -> b.queueUrl(queue.deadLetterUrl())
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .messageAttributeNames("All"))
                .messages();
    }

    private double count(String name, String tag, String value) {
        var counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void everyRecordedEventTypeReachesTheSinkAndItsMessageIsDeleted() throws Exception {
        startReader();
        send(envelope(
                SesEventRecords.bounce("01HERALD-B", "Permanent", "gone@example.com", "smtp; 550 5.1.1 user unknown"),
                "1",
                TOPIC));
        send(envelope(SesEventRecords.complaint("01HERALD-C", "angry@example.com"), "2", TOPIC));
        send(envelope(SesEventRecords.delivery("01HERALD-D", "ok@example.com"), "2", TOPIC));
        send(envelope(SesEventRecords.reject("01HERALD-R", "virus@example.com"), "2", TOPIC));
        send(envelope(SesEventRecords.deliveryDelay("01HERALD-Y", "slow@example.com"), "1", TOPIC));

        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.size() == 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesIn(queue.url()) == 0);

        assertThat(recorded)
                .extracting(FeedbackEvent::messageId)
                .containsExactlyInAnyOrder("01HERALD-B", "01HERALD-C", "01HERALD-D", "01HERALD-R", "01HERALD-Y");
        assertThat(recorded).allSatisfy(e -> assertThat(e.source()).isEqualTo("ses"));
        assertThat(recorded)
                .filteredOn(e -> e instanceof FeedbackEvent.Bounce)
                .singleElement()
                .isInstanceOfSatisfying(FeedbackEvent.Bounce.class, b -> {
                    assertThat(b.address()).isEqualTo("gone@example.com");
                    assertThat(b.permanent()).isTrue();
                    assertThat(b.diagnostic()).isEqualTo("smtp; 550 5.1.1 user unknown");
                });
        assertThat(recorded).hasAtLeastOneElementOfType(FeedbackEvent.Complaint.class);
        assertThat(recorded).hasAtLeastOneElementOfType(FeedbackEvent.Delivery.class);
        assertThat(recorded).hasAtLeastOneElementOfType(FeedbackEvent.Dropped.class);
        assertThat(recorded).hasAtLeastOneElementOfType(FeedbackEvent.Deferral.class);
        assertThat(count("herald.feedback.messages", "outcome", "recorded")).isEqualTo(5);
        assertThat(messagesIn(queue.deadLetterUrl())).isZero();
        // Fetched once for all five envelopes: the certificate is kept.
        assertThat(certificateHost.getAllServeEvents()).hasSize(1);
    }

    @Test
    void aBadSignatureIsSetAsideWithItsReasonAndRecordsNothing() throws Exception {
        startReader();
        String signed = envelope(SesEventRecords.complaint("01HERALD-F", "victim@example.com"), "2", TOPIC);
        // The complaint's address changed after signing: what an attacker forging feedback would do.
        String forged = signed.replace("victim@example.com", "someone-else@example.com");

        send(forged);

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesIn(queue.deadLetterUrl()) == 1);
        Message set = deadLetters().getFirst();
        assertThat(MessageAttributes.reason(set))
                .hasValueSatisfying(r -> assertThat(r).contains("SNS signature does not verify"));
        assertThat(set.body()).isEqualTo(forged);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesIn(queue.url()) == 0);
        assertThat(recorded).isEmpty();
        assertThat(count("herald.feedback.messages", "outcome", "dead_lettered"))
                .isEqualTo(1);
    }

    @Test
    void aMessageFromAnotherTopicIsSetAside() throws Exception {
        startReader();
        String other = "arn:aws:sns:eu-west-1:999999999999:someone-elses-topic";
        send(envelope(SesEventRecords.complaint("01HERALD-T", "a@example.com"), "2", other));

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesIn(queue.deadLetterUrl()) == 1);
        assertThat(MessageAttributes.reason(deadLetters().getFirst()))
                .hasValueSatisfying(r -> assertThat(r).contains("from topic " + other));
        assertThat(recorded).isEmpty();
    }

    @Test
    void aCertificateNotFromAnAllowedHttpsHostIsSetAside() throws Exception {
        startReader();
        String plainHttp = envelope(SesEventRecords.complaint("01HERALD-H", "a@example.com"), "2", TOPIC)
                .replace("https://127.0.0.1", "http://127.0.0.1");
        send(plainHttp);
        send("{\"Type\":\"Notification\"}");

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesIn(queue.deadLetterUrl()) == 2);
        List<Message> set = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            set.addAll(deadLetters());
            return set.size() == 2;
        });
        assertThat(set)
                .extracting(m -> MessageAttributes.reason(m).orElse(""))
                .anySatisfy(r -> assertThat(r).contains("is not https"))
                .anySatisfy(r -> assertThat(r).contains("not an SNS envelope: no MessageId"));
        assertThat(recorded).isEmpty();
    }

    @Test
    void anUnknownEventTypeIsCountedAndDeleted() throws Exception {
        startReader();
        send(envelope(SesEventRecords.open("01HERALD-O", "reader@example.com"), "2", TOPIC));

        await().atMost(Duration.ofSeconds(30)).until(() -> count("herald.feedback.ignored", "eventType", "Open") == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesIn(queue.url()) == 0);
        assertThat(recorded).isEmpty();
        assertThat(messagesIn(queue.deadLetterUrl())).isZero();
    }

    @Test
    void whenTheStoreFailsTheMessageStaysAndIsRecordedOnRedelivery() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        startReader(event -> {
            if (attempts.incrementAndGet() == 1) {
                throw new FeedbackStoreException("status table unreachable", null);
            }
            recorded.add(event);
        });
        send(envelope(SesEventRecords.bounce("01HERALD-S", "Permanent", "gone@example.com", "550"), "2", TOPIC));

        // Left after the failure, it comes back after its 1 s visibility timeout and is recorded then.
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesIn(queue.url()) == 0);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(count("herald.feedback.messages", "outcome", "left")).isEqualTo(1);
        assertThat(messagesIn(queue.deadLetterUrl())).isZero();
    }

    /** The pipeline knows no intake by name: it starts what the providers' plug-ins offer for their blocks. */
    @Test
    void thePipelineGetsThisReaderFromTheSesPlugInWhenItsBlockNamesAQueue() {
        HeraldConfig off = HeraldConfig.defaults();
        assertThat(Providers.feedbackIntakes(off, new FeedbackIntake.Context(sqs, off, recorded::add, meters)))
                .isEmpty();

        String name = "ses-feedback-" + queueCounter.incrementAndGet();
        sqs.createQueue(b -> b.queueName(name));
        sqs.createQueue(b -> b.queueName(name + "-dlq"));
        HeraldConfig on = sesFeedback(name);
        List<FeedbackIntake> intakes =
                Providers.feedbackIntakes(on, new FeedbackIntake.Context(sqs, on, recorded::add, meters));
        try {
            assertThat(intakes).singleElement().satisfies(intake -> {
                assertThat(intake).isInstanceOf(SesFeedbackReader.class);
                assertThat(intake.describe()).contains(name);
            });
        } finally {
            intakes.forEach(FeedbackIntake::close);
        }

        HeraldConfig missing = sesFeedback("no-such-feedback-queue");
        assertThatThrownBy(() -> Providers.feedbackIntakes(
                        missing, new FeedbackIntake.Context(sqs, missing, recorded::add, meters)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("providers.ses.feedback.queue (HERALD_PROVIDERS_SES_FEEDBACK_QUEUE)")
                .hasMessageContaining("'no-such-feedback-queue' does not exist");
    }

    private static HeraldConfig sesFeedback(String queueName) {
        return new ConfigLoader(Map.of())
                .loadYaml("providers: {ses: {feedback: {queue: " + queueName + ", topicArn: \"" + TOPIC + "\"}}}");
    }
}
