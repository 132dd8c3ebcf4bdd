package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.ApiAccess;
import io.herald.api.HeraldApi;
import io.herald.core.config.ApiKeyEntry;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.idempotency.DynamoIdempotencyStore;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusTable;
import io.herald.core.status.StatusUpdate;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The API as local mode runs it, in a JVM of its own for the fuzz drill (the api drill runs the packaged
 * {@code bin/herald api} instead, see {@link ShippedApiProcess}): one embedded ElasticMQ and one embedded DynamoDB
 * Local, and one API per variant named on the command line, each on its own port and its own queues, sharing the SQS
 * client as instances in one process would:
 *
 * <ul>
 *   <li>{@code store}: delivery status in DynamoDB Local, as {@code ./herald local} runs;
 *   <li>{@code nostore}: the same without status writes, to show what the store costs (status lookups then find
 *       nothing; Idempotency-Key still uses DynamoDB Local);
 *   <li>{@code keyed}: {@code store} behind one send-only API key limited to senders at {@value #KEYED_SENDER_DOMAIN}
 *       (token {@value #KEYED_TOKEN}), for the fuzz drill's sender cases.
 * </ul>
 *
 * Prints one JSON line ({@link Stack}) when every API listens; stops when stdin closes.
 */
public final class ApiStackMain {

    /** What the drills need to reach: the SQS endpoint, and per variant its port and queues. */
    record Stack(String sqsEndpoint, Map<String, Variant> variants) {}

    record Variant(int port, List<QueueRef> queues) {}

    /** The bearer token of the {@code keyed} variant's only key. */
    static final String KEYED_TOKEN = "fuzz-send-only-token";
    /** The {@code keyed} variant's key: send-only, limited to senders at {@code alpha.example.org}. */
    static final String KEYED_SENDER_DOMAIN = "alpha.example.org";

    private static final String KEYED_ENTRY =
            "name=fuzz sha256=" + ApiKeyEntry.hash(KEYED_TOKEN) + " senders=" + KEYED_SENDER_DOMAIN + " rate=100000/s";

    /** Writes nothing and finds nothing: the "without a status store" variant, and only that. */
    private static final StatusStore NO_STATUS = new StatusStore() {
        @Override
        public void record(StatusUpdate update) {}

        @Override
        public Optional<StatusUpdate> find(String messageId) {
            return Optional.empty();
        }
    };

    private ApiStackMain() {}

    public static void main(String[] args) throws Exception {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            EmbeddedSqs sqs = EmbeddedSqs.start(0);
            opened.add(sqs);
            EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(0);
            opened.add(dynamo);
            HeraldConfig defaults = HeraldConfig.defaults();
            HeraldConfig.Status status = new HeraldConfig.Status(
                    dynamo.endpoint().toString(),
                    defaults.status().region(),
                    defaults.status().table(),
                    defaults.status().ttl());
            DynamoDbClient dynamoClient = DynamoDbClients.create(status);
            opened.add(dynamoClient);
            StatusTable.createIfMissing(dynamoClient, status.table());

            HeraldConfig.Sqs d = defaults.sqs();
            HeraldConfig.Sqs sqsConfig = new HeraldConfig.Sqs(
                    sqs.endpoint().toString(),
                    d.region(),
                    d.queues(),
                    d.deadLetterSuffix(),
                    d.maxReceiveCount(),
                    d.visibilityTimeout(),
                    d.maxConnections());
            SqsClient sqsClient = SqsClients.create(sqsConfig);
            opened.add(sqsClient);
            HeraldConfig.Api api =
                    new ConfigLoader(Map.of()).loadYaml("api: {port: 0}").api();

            Map<String, Variant> variants = new LinkedHashMap<>();
            for (String name : args) {
                // "store@2": the variant with 2 SendMessageBatch calls in flight instead of the API's default
                String[] parts = name.split("@", 2);
                StatusStore store = switch (parts[0]) {
                    case "store", "keyed" ->
                        new DynamoStatusStore(dynamoClient, status.table(), status.ttl(), Clock.systemUTC());
                    case "nostore" -> NO_STATUS;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown API variant '" + name + "' (store, nostore, keyed)");
                };
                String queueName = "bench-" + name.replace('@', '-');
                List<QueueRef> queues = SqsQueues.provision(
                        sqsClient,
                        new HeraldConfig.Sqs(
                                sqsConfig.endpoint(),
                                d.region(),
                                List.of(queueName + "-1", queueName + "-2"),
                                d.deadLetterSuffix(),
                                d.maxReceiveCount(),
                                d.visibilityTimeout(),
                                d.maxConnections()));
                HeraldApi.Builder builder =
                        HeraldApi.builder(api, new SqsProducer(sqsClient, new EnvelopeCodec()), queues);
                if (parts.length == 2) {
                    builder.maxSqsCallsInFlight(Integer.parseInt(parts[1]));
                }
                if (parts[0].equals("keyed")) {
                    builder.access(ApiAccess.keys(List.of(
                            switch (ApiKeyEntry.parse(KEYED_ENTRY)) {
                                case ApiKeyEntry.Parsed.Valid valid -> valid.entry();
                                case ApiKeyEntry.Parsed.Invalid invalid ->
                                    throw new IllegalStateException(
                                            "the keyed variant's key does not parse: " + invalid.problem());
                            })));
                }
                HeraldApi started = builder.statusStore(store)
                        .idempotencyStore(new DynamoIdempotencyStore(
                                dynamoClient,
                                status.table(),
                                api.idempotencyWindow(),
                                Duration.ofSeconds(60),
                                Clock.systemUTC()))
                        .build()
                        .start();
                opened.add(started);
                variants.put(name, new Variant(started.port(), queues));
            }
            System.out.println(new ObjectMapper()
                    .writeValueAsString(new Stack(sqs.endpoint().toString(), variants)));
            System.out.flush();
            ChildJvm.awaitParentGone();
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception e) {
                    System.err.println(
                            "api stack: closing " + opened.get(i).getClass().getSimpleName() + ": " + e);
                }
            }
        }
        // DynamoDB Local leaves a non-daemon thread behind after it stops.
        System.exit(0);
    }
}
