package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.Sender;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Real HTTP against a started {@link HeraldApi}, real SDK calls against an embedded SQS: what a gomail web client
 * sends, and what the pipeline will find on the queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeraldApiTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final int DEFAULT_LIMIT = HeraldConfig.defaults().api().maxBodyBytes();

    private ApiTestbed bed;
    private final ObjectMapper mapper = new ObjectMapper();
    private HeraldApi api;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        api = startApi(DEFAULT_LIMIT, freshQueues(2), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void acceptedEmailIsOnTheQueueAsAnEnvelope() throws Exception {
        List<QueueRef> queues = freshQueues(1);
        try (HeraldApi own = startApi(DEFAULT_LIMIT, queues, Clock.fixed(NOW, ZoneOffset.UTC))) {
            Reply reply = post(own, """
                    {"email": {"fromEmail": "from@example.com", "fromName": "From Name",
                               "toEmail": "to@example.com", "toName": "To Name",
                               "subject": "Test subject", "body": "Test body"}}""");

            assertThat(reply.status()).isEqualTo(200);
            String messageId = reply.json().get("messageId").asText();
            List<Envelope> onQueue = drain(queues.getFirst(), 1);
            assertThat(onQueue).hasSize(1);
            Envelope envelope = onQueue.getFirst();
            assertThat(envelope.id()).isEqualTo(messageId);
            assertThat(envelope.v()).isEqualTo(Envelope.VERSION);
            assertThat(envelope.channel()).isEqualTo("email");
            assertThat(envelope.target()).isEqualTo("to@example.com");
            assertThat(envelope.targetName()).isEqualTo("To Name");
            assertThat(envelope.sender()).isEqualTo(new Sender("from@example.com", "From Name"));
            assertThat(envelope.content().title()).isEqualTo("Test subject");
            assertThat(envelope.content().text()).isEqualTo("Test body");
            assertThat(envelope.origin()).isEqualTo(Origin.api("anonymous"));
            assertThat(envelope.createdAt()).isEqualTo(NOW);
            assertThat(envelope.slurm()).isNull();
        }
    }

    @Test
    void optionalFieldsMayBeLeftOut() throws Exception {
        List<QueueRef> queues = freshQueues(1);
        try (HeraldApi own = startApi(DEFAULT_LIMIT, queues, Clock.fixed(NOW, ZoneOffset.UTC))) {
            Reply reply = post(own, """
                    {"email": {"fromEmail": "from@example.com", "toEmail": "to@example.com", "body": "hi",
                               "toName": null, "subject": ""}}""");

            assertThat(reply.status()).isEqualTo(200);
            Envelope envelope = drain(queues.getFirst(), 1).getFirst();
            assertThat(envelope.targetName()).isNull();
            assertThat(envelope.sender()).isEqualTo(new Sender("from@example.com", null));
            assertThat(envelope.content().title()).isNull();
        }
    }

    @Test
    void consecutiveEmailsGoToTheQueuesInTurn() throws Exception {
        List<QueueRef> queues = freshQueues(2);
        try (HeraldApi own = startApi(DEFAULT_LIMIT, queues, Clock.fixed(NOW, ZoneOffset.UTC))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Reply reply = post(own, validEmail());
                assertThat(reply.status()).isEqualTo(200);
                ids.add(reply.json().get("messageId").asText());
            }

            assertThat(drain(queues.get(0), 2))
                    .extracting(Envelope::id)
                    .containsExactlyInAnyOrder(ids.get(0), ids.get(2));
            assertThat(drain(queues.get(1), 2))
                    .extracting(Envelope::id)
                    .containsExactlyInAnyOrder(ids.get(1), ids.get(3));
        }
    }

    @Test
    void malformedJsonIs400() throws Exception {
        Reply reply = post(api, "{\"email\": {\"fromEmail\": ");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errors()).containsOnlyKeys("base");
        assertThat(reply.errors().get("base")).startsWith("request body is not valid JSON");
    }

    @Test
    void trailingDataAfterTheJsonIs400() throws Exception {
        Reply reply = post(api, validEmail() + " {}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errors().get("base")).startsWith("request body is not valid JSON");
    }

    @Test
    void emptyBodyIs400() throws Exception {
        Reply reply = post(api, "");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errors().get("base")).startsWith("request body is empty");
    }

    @Test
    void nonObjectBodyIs400() throws Exception {
        Reply reply = post(api, "[" + validEmail() + "]");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errors().get("base")).isEqualTo("request body must be a JSON object with an \"email\" object");
    }

    @Test
    void missingEmailObjectIs400() throws Exception {
        Reply missing = post(api, "{\"mail\": {}}");
        Reply notAnObject = post(api, "{\"email\": \"to@example.com\"}");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errors().get("base")).isEqualTo("request body must have an \"email\" object");
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(notAnObject.errors().get("base")).isEqualTo("request body must have an \"email\" object");
    }

    @Test
    void oversizeBodyIs400NamingTheLimit() throws Exception {
        Reply reply = post(api, emailOfExactly(300_000));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errors())
                .containsExactly(Map.entry("base", "request body is 300000 bytes; the limit is " + DEFAULT_LIMIT));
    }

    @Test
    void clientStillWritingAMultiMegabyteBodyReadsTheAnswer() throws Exception {
        // The answer is known from Content-Length alone; the server must still take in the body, or it
        // resets the connection under a client that is still writing and the client never sees the 400.
        for (int attempt = 0; attempt < 5; attempt++) {
            Reply reply = post(api, emailOfExactly(3_000_000));

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.errors().get("base"))
                    .isEqualTo("request body is 3000000 bytes; the limit is " + DEFAULT_LIMIT);
        }
    }

    @Test
    void anyRouteAnsweringBeforeReadingLetsAClientStillWritingReadTheAnswer() throws Exception {
        // A route that refuses at once (here: no provider takes feedback at this path) never reads the body; the
        // API drains it after answering, on every route, so the client sees the 404 instead of a reset.
        for (int attempt = 0; attempt < 5; attempt++) {
            ApiTestbed.Answer answer = bed.post(api, "/v1/feedback/nosuchprovider", emailOfExactly(3_000_000));

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.text()).contains("no provider takes feedback at this path");
        }
        assertThat(post(api, validEmail()).status()).isEqualTo(200);
    }

    @Test
    void oversizeChunkedBodyIs400NamingTheLimit() throws Exception {
        byte[] body = emailOfExactly(300_000).getBytes(StandardCharsets.UTF_8);
        // An input-stream publisher has no length, so the client sends it chunked, without Content-Length.
        HttpRequest request = HttpRequest.newBuilder(uri(api, "/email/send"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        Reply reply = send(request);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errors())
                .containsExactly(Map.entry(
                        "base",
                        "request body is more than " + DEFAULT_LIMIT + " bytes; the limit is " + DEFAULT_LIMIT));
    }

    @Test
    void bodyEndingBeforeItsContentLengthIs400NotAServerError() throws Exception {
        // Found by ./herald bench fuzz: Jetty's "Early EOF" escaped as a 500. No client library sends
        // a short body, so this one is written byte by byte; the client half-closes, as a crashed one would.
        byte[] body = validEmail().getBytes(StandardCharsets.UTF_8);
        String answer = rawExchange(
                ("POST /email/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + (body.length + 50) + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                body);

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer)
                .contains("{\"errors\":{\"base\":\"request body could not be read: it ended before its declared "
                        + "Content-Length or its chunked encoding is malformed\"}}");
        assertThat(post(api, validEmail()).status()).isEqualTo(200);
    }

    @Test
    void malformedChunkedEncodingIs400NotAServerError() throws Exception {
        byte[] body = validEmail().getBytes(StandardCharsets.UTF_8);
        String answer = rawExchange(
                ("POST /email/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                body);

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer).doesNotContain("Internal error");
    }

    @Test
    void malformedFramingRefusedByJettyComesInTheApisErrorShape() throws Exception {
        // Found by ./herald bench fuzz: Jetty refused these before Javalin saw them, with an HTML page.
        byte[] body = validEmail().getBytes(StandardCharsets.UTF_8);
        String answer = rawExchange(
                ("POST /email/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: -1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                body);

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer).containsIgnoringCase("Content-Type: application/json");
        assertThat(answer).endsWith("{\"errors\":{\"base\":\"Invalid Content-Length Value\"}}");
    }

    /** Writes {@code head} and {@code body} as they are, half-closes, and returns everything the API answered. */
    private String rawExchange(byte[] head, byte[] body) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), api.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(body);
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void farOversizeBodyIs400AndTheApiKeepsServing() throws Exception {
        // The API answers before reading the body; the client must still get that answer, not a reset.
        Reply reply = post(api, emailOfExactly(20_000_000));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errors().get("base"))
                .isEqualTo("request body is 20000000 bytes; the limit is " + DEFAULT_LIMIT);
        assertThat(post(api, validEmail()).status()).isEqualTo(200);
    }

    @Test
    void bodyAtTheLimitIsAccepted() throws Exception {
        Reply reply = post(api, emailOfExactly(DEFAULT_LIMIT));

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void everyInvalidFieldIsNamedIn422() throws Exception {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode email = root.putObject("email");
        email.put("fromEmail", "not-an-address");
        email.put("fromName", "x".repeat(EmailRequest.MAX_NAME_CHARS + 1));
        email.put("toEmail", 42);
        email.put("toName", "Eve\nBcc: victim@example.com");
        email.put("subject", "Hi\r\nBcc: victim@example.com");
        email.put("body", "   ");

        Reply reply = post(api, mapper.writeValueAsString(root));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errors())
                .containsOnly(
                        Map.entry("fromEmail", "From email is not a valid email: it has no '@'"),
                        Map.entry(
                                "fromName", "From name is longer than " + EmailRequest.MAX_NAME_CHARS + " characters"),
                        Map.entry("toEmail", "To email must be a string"),
                        Map.entry("toName", "To name must not contain line breaks"),
                        Map.entry("subject", "Subject must not contain line breaks"),
                        Map.entry("body", "Body is required"));
    }

    @Test
    void missingRequiredFieldsAreNamedIn422() throws Exception {
        Reply reply = post(api, "{\"email\": {}}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errors())
                .containsOnly(
                        Map.entry("fromEmail", "From email is required"),
                        Map.entry("toEmail", "To email is required"),
                        Map.entry("body", "Body is required"));
    }

    @Test
    void upperCaseLongTldAndIdnAddressesAreValid() throws Exception {
        for (String address :
                List.of("Alice.Smith@Example.COM", "someone@studio.photography", "jürgen@bücher.example")) {
            Reply reply = post(api, email(address, "to@example.com", "Subject", "Body"));
            assertThat(reply.status()).as(address).isEqualTo(200);
            assertThat(reply.json().get("messageId").asText()).as(address).isNotBlank();
        }
    }

    @Test
    void crlfInSubjectIsRejected() throws Exception {
        Reply reply = post(api, email("from@example.com", "to@example.com", "Hello\r\nBcc: x@example.com", "Body"));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errors()).containsOnly(Map.entry("subject", "Subject must not contain line breaks"));
    }

    @Test
    void wrongJsonTypeIs422OnThatField() throws Exception {
        Reply reply = post(api, """
                {"email": {"fromEmail": "from@example.com", "toEmail": "to@example.com",
                           "subject": ["a", "list"], "body": "Body"}}""");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errors()).containsOnly(Map.entry("subject", "Subject must be a string"));
    }

    @Test
    void charactersSqsRefusesRawArriveIntactThroughTheQueue() throws Exception {
        List<QueueRef> queues = freshQueues(1);
        try (HeraldApi own = startApi(DEFAULT_LIMIT, queues, Clock.fixed(NOW, ZoneOffset.UTC))) {
            Reply reply = post(own, email("from@example.com", "to@example.com", "Subject \uFFFE", "Body \uFFFF 🚀"));

            assertThat(reply.status()).isEqualTo(200);
            Envelope envelope = drain(queues.getFirst(), 1).getFirst();
            assertThat(envelope.content().title()).isEqualTo("Subject \uFFFE");
            assertThat(envelope.content().text()).isEqualTo("Body \uFFFF 🚀");
        }
    }

    @Test
    void loneSurrogateEscapeIs422OnThatField() throws Exception {
        Reply reply = post(api, """
                {"email": {"fromEmail": "from@example.com", "toEmail": "to@example.com",
                           "toName": "half \\ud800 a pair", "body": "Body"}}""");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errors())
                .containsOnly(Map.entry(
                        "toName", "To name contains an unpaired surrogate U+D800, which is not valid Unicode text"));
    }

    @Test
    void emailTooLargeForSqsIs422OnBody() throws Exception {
        // A body limit past what the configuration allows (SQS's 1 MiB), so the envelope's own check is reached.
        HeraldConfig.Api d = HeraldConfig.Api.defaults();
        HeraldConfig.Api beyondSqs = new HeraldConfig.Api(
                "127.0.0.1",
                0,
                2 * 1024 * 1024,
                d.idempotencyWindow(),
                d.batchWait(),
                d.open(),
                d.keys(),
                d.maxReceiversPerRequest(),
                d.idleTimeout(),
                d.minRequestDataRate(),
                d.selfService());
        try (HeraldApi roomy = bed.start(beyondSqs, freshQueues(1), b -> b.clock(Clock.fixed(NOW, ZoneOffset.UTC)))) {
            Reply reply = post(roomy, email("from@example.com", "to@example.com", "Big", "x".repeat(1_100_000)));

            assertThat(reply.status()).isEqualTo(422);
            assertThat(reply.errors()).containsOnlyKeys("body");
            assertThat(reply.errors().get("body"))
                    .startsWith("Body is too large to queue")
                    .contains("1,048,576 bytes");
        }
    }

    @Test
    void sqsDownGives503WithRetryAfter() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort;
        try (SqsClient unreachable = SqsClients.create(ApiTestbed.sqsConfig(endpoint, List.of("gone")));
                HeraldApi stranded = HeraldApi.builder(
                                ApiTestbed.api(DEFAULT_LIMIT),
                                new SqsProducer(unreachable, bed.codec),
                                List.of(new QueueRef(
                                        "gone", endpoint + "/000000000000/gone", endpoint + "/000000000000/gone-dlq")))
                        .statusStore(bed.statusStore(Clock.systemUTC()))
                        .idempotencyStore(bed.idempotencyStore())
                        .build()
                        .start()) {

            Reply reply = post(stranded, validEmail());

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.errors()).containsExactly(Map.entry("base", "Service unavailable"));
            assertThat(reply.headers().firstValue("Retry-After"))
                    .hasValue(Integer.toString(SendEmailHandler.RETRY_AFTER_SECONDS));
        }
    }

    @Test
    void unexpectedErrorIs500WithoutDetails() throws Exception {
        Clock broken = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new IllegalStateException("secret-token-12345 leaked");
            }
        };
        try (HeraldApi failing = startApi(DEFAULT_LIMIT, freshQueues(1), broken)) {
            Reply reply = post(failing, validEmail());

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.errors()).containsExactly(Map.entry("base", "Internal error"));
            assertThat(reply.text()).doesNotContain("secret").doesNotContain("Exception");
        }
    }

    @Test
    void healthzIsOk() throws Exception {
        Reply reply = send(HttpRequest.newBuilder(uri(api, "/healthz")).GET().build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void unknownRouteIs404Json() throws Exception {
        Reply reply = send(HttpRequest.newBuilder(uri(api, "/nowhere")).GET().build());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(reply.errors()).containsExactly(Map.entry("base", "Not found"));
    }

    @Test
    void wrongMethodIs405Json() throws Exception {
        Reply reply = send(HttpRequest.newBuilder(uri(api, "/email/send")).GET().build());

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.errors()).containsExactly(Map.entry("base", "Method not allowed"));
        assertThat(reply.headers().firstValue("Allow")).hasValue("POST");
        // One JSON document, not two written one after the other.
        assertThat(reply.text()).isEqualTo("{\"errors\":{\"base\":\"Method not allowed\"}}");
    }

    // ---- helpers

    private record Reply(int status, String text, JsonNode json, HttpHeaders headers) {
        Map<String, String> errors() {
            Map<String, String> errors = new LinkedHashMap<>();
            json.get("errors")
                    .properties()
                    .forEach(e -> errors.put(e.getKey(), e.getValue().asText()));
            return errors;
        }
    }

    private HeraldApi startApi(int maxBodyBytes, List<QueueRef> queues, Clock clock) {
        return bed.start(ApiTestbed.api(maxBodyBytes), queues, b -> b.clock(clock));
    }

    private List<QueueRef> freshQueues(int count) {
        return bed.freshQueues(count);
    }

    private List<Envelope> drain(QueueRef queue, int expected) {
        return bed.drain(queue, expected);
    }

    private String validEmail() throws IOException {
        return email("from@example.com", "to@example.com", "Subject", "Body");
    }

    private String email(String from, String to, String subject, String body) throws IOException {
        ObjectNode root = mapper.createObjectNode();
        root.putObject("email")
                .put("fromEmail", from)
                .put("toEmail", to)
                .put("subject", subject)
                .put("body", body);
        return mapper.writeValueAsString(root);
    }

    /** A valid request whose UTF-8 encoding is exactly {@code bytes} long. */
    private String emailOfExactly(int bytes) throws IOException {
        String empty = email("from@example.com", "to@example.com", "Subject", "");
        return email("from@example.com", "to@example.com", "Subject", "x".repeat(bytes - empty.length()));
    }

    private Reply post(HeraldApi target, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(target, "/email/send"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        // Through the testbed, which checks every answer against openapi.json.
        ApiTestbed.Answer answer = bed.send(request);
        return new Reply(answer.status(), answer.text(), mapper.readTree(answer.text()), answer.headers());
    }

    private static URI uri(HeraldApi target, String path) {
        return URI.create("http://127.0.0.1:" + target.port() + path);
    }
}
