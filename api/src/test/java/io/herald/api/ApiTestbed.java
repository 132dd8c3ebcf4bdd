package io.herald.api;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.idempotency.DynamoIdempotencyStore;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/**
 * What the API tests share: an embedded SQS and an embedded DynamoDB (real engines, on loopback), APIs started against
 * fresh queues, and an HTTP client that reads every answer as JSON.
 */
final class ApiTestbed implements AutoCloseable {

    static final HeraldConfig.Api DEFAULT_API =
            api(HeraldConfig.defaults().api().maxBodyBytes());

    /** The default API section on a free port with this body limit, built as a user would write it. */
    static HeraldConfig.Api api(int maxBodyBytes) {
        return api("maxBodyBytes: " + maxBodyBytes);
    }

    /** The API section on a free port with these keys set, e.g. {@code "batchWait: 20ms"}; the rest defaults. */
    static HeraldConfig.Api api(String keys) {
        return new ConfigLoader(Map.of())
                .loadYaml("api: {port: 0, " + keys + "}")
                .api();
    }

    final ObjectMapper mapper = new ObjectMapper();
    /** Every answer read here is checked against the API's own document. */
    private final OpenApiContract contract = new OpenApiContract();

    final EnvelopeCodec codec = new EnvelopeCodec();
    final EmbeddedSqs sqs;
    final EmbeddedDynamoDb dynamo;
    final SqsClient sqsClient;
    final DynamoDbClient dynamoClient;
    final String table = "herald-status";
    /** Every SendMessageBatch call the APIs made, as its number of entries. */
    final List<Integer> batchCalls = new CopyOnWriteArrayList<>();

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger queueNames = new AtomicInteger();
    private final List<AutoCloseable> apis = new ArrayList<>();

    ApiTestbed() {
        sqs = EmbeddedSqs.start(0);
        dynamo = EmbeddedDynamoDb.start(0);
        // SqsClients' client for a loopback endpoint, plus a count of SendMessageBatch calls and their sizes.
        sqsClient = SqsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(sqs.endpoint())
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("herald-local", "herald-local")))
                .httpClientBuilder(
                        ApacheHttpClient.builder().maxConnections(100).socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof SendMessageBatchRequest batch) {
                            batchCalls.add(batch.entries().size());
                        }
                    }
                }))
                .build();
        dynamoClient = DynamoDbClients.create(statusConfig());
        StatusTable.createIfMissing(dynamoClient, table);
    }

    HeraldConfig.Status statusConfig() {
        HeraldConfig.Status d = HeraldConfig.defaults().status();
        return new HeraldConfig.Status(dynamo.endpoint().toString(), d.region(), table, d.ttl());
    }

    static HeraldConfig.Sqs sqsConfig(String endpoint, List<String> queues) {
        HeraldConfig.Sqs defaults = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(
                endpoint,
                defaults.region(),
                queues,
                defaults.deadLetterSuffix(),
                defaults.maxReceiveCount(),
                defaults.visibilityTimeout(),
                defaults.maxConnections());
    }

    DynamoStatusStore statusStore(Clock clock) {
        return new DynamoStatusStore(
                dynamoClient, table, HeraldConfig.defaults().status().ttl(), clock);
    }

    DynamoIdempotencyStore idempotencyStore() {
        return new DynamoIdempotencyStore(
                dynamoClient, table, Duration.ofHours(24), Duration.ofSeconds(30), Clock.systemUTC());
    }

    /** A builder wired to the shared SQS and DynamoDB; tests change what they are about. */
    HeraldApi.Builder builder(HeraldConfig.Api config, List<QueueRef> queues) {
        return HeraldApi.builder(config, new SqsProducer(sqsClient, codec), queues)
                .statusStore(statusStore(Clock.systemUTC()))
                .idempotencyStore(idempotencyStore());
    }

    HeraldApi start(HeraldConfig.Api config, List<QueueRef> queues, UnaryOperator<HeraldApi.Builder> change) {
        HeraldApi api = change.apply(builder(config, queues)).build().start();
        apis.add(api);
        return api;
    }

    HeraldApi start(UnaryOperator<HeraldApi.Builder> change) {
        return start(DEFAULT_API, freshQueues(1), change);
    }

    /** Queues no other test writes to, so what a test finds on them is what it sent. */
    List<QueueRef> freshQueues(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("api-test-" + queueNames.incrementAndGet());
        }
        return SqsQueues.provision(sqsClient, sqsConfig(sqs.endpoint().toString(), names));
    }

    /**
     * Receives, deleting what it read, until at least {@code expected} envelopes arrived; fails if they do not within
     * 30 s, a bound that only stops a hang.
     */
    List<Envelope> drain(QueueRef queue, int expected) {
        List<Envelope> envelopes = new CopyOnWriteArrayList<>();
        await("%d envelopes on %s".formatted(expected, queue.name()))
                .atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> receiveInto(queue, envelopes) >= expected);
        return envelopes;
    }

    /** {@link #drain}, then no further envelope for {@code quietFor}: what was sent once is there once. */
    List<Envelope> drainExactly(QueueRef queue, int expected, Duration quietFor) {
        List<Envelope> envelopes = new CopyOnWriteArrayList<>(drain(queue, expected));
        await("no more than %d envelopes on %s".formatted(expected, queue.name()))
                .during(quietFor)
                .atMost(quietFor.plusSeconds(30))
                .until(() -> receiveInto(queue, envelopes) == expected);
        return envelopes;
    }

    private int receiveInto(QueueRef queue, List<Envelope> envelopes) {
        for (Message message : sqsClient
                .receiveMessage(
                        b -> b.queueUrl(queue.url()).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages()) {
            envelopes.add(codec.decode(message.body()));
            sqsClient.deleteMessage(b -> b.queueUrl(queue.url()).receiptHandle(message.receiptHandle()));
        }
        return envelopes.size();
    }

    /** An answer, with its body read as JSON (null when the body is not JSON). */
    record Answer(int status, String text, JsonNode json, HttpHeaders headers) {
        Map<String, String> errors() {
            Map<String, String> errors = new LinkedHashMap<>();
            json.get("errors")
                    .properties()
                    .forEach(e -> errors.put(e.getKey(), e.getValue().asText()));
            return errors;
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Answer post(HeraldApi api, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(api, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    Answer get(HeraldApi api, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(api, path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode json;
        try {
            json = mapper.readTree(response.body());
        } catch (IOException notJson) {
            json = null;
        }
        List<String> problems = contract.problems(
                request.method(),
                request.uri().getPath(),
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                json);
        if (!problems.isEmpty()) {
            throw new AssertionError("the answer is not what openapi.json documents: " + String.join("; ", problems)
                    + "\n" + response.body());
        }
        return new Answer(response.statusCode(), response.body(), json, response.headers());
    }

    static URI uri(HeraldApi api, String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    String email(String from, String to, String subject, String body) throws IOException {
        var root = mapper.createObjectNode();
        root.putObject("email")
                .put("fromEmail", from)
                .put("toEmail", to)
                .put("subject", subject)
                .put("body", body);
        return mapper.writeValueAsString(root);
    }

    String validEmail() throws IOException {
        return email("from@example.com", "to@example.com", "Subject", "Body");
    }

    @Override
    public void close() {
        for (AutoCloseable api : apis) {
            try {
                api.close();
            } catch (Exception ignored) {
                // closing test servers; nothing to report
            }
        }
        http.close();
        sqsClient.close();
        dynamoClient.close();
        sqs.close();
        dynamo.close();
    }
}
