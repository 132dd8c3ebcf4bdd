package io.herald.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.embedded.EmbeddedServices;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The engines `herald serve` runs: what they acknowledged is there again after a stop and a start. */
class PersistentEnginesTest {

    private final EmbeddedServices engines = EmbeddedServices.load();

    @Test
    void theServiceLoaderFindsTheEngines() {
        assertThat(engines).isInstanceOf(EmbeddedEngines.class);
    }

    @Test
    void queuesAndUndeletedMessagesSurviveARestart(@TempDir Path dir) {
        HeraldConfig.Sqs config = HeraldConfig.defaults().sqs();
        List<String> sent = IntStream.range(0, 25).mapToObj(i -> "message " + i).toList();
        String deleted;
        try (EmbeddedServices.Running sqs = engines.startSqs(0, Optional.of(dir));
                SqsClient client =
                        SqsClients.create(config.withEndpoint(sqs.endpoint().toString()))) {
            QueueRef queue = SqsQueues.provision(client, config).getFirst();
            sent.forEach(body -> client.sendMessage(b -> b.queueUrl(queue.url()).messageBody(body)));
            Message first = client.receiveMessage(b -> b.queueUrl(queue.url()).maxNumberOfMessages(1))
                    .messages()
                    .getFirst();
            client.deleteMessage(b -> b.queueUrl(queue.url()).receiptHandle(first.receiptHandle()));
            deleted = first.body();
        }
        try (EmbeddedServices.Running sqs = engines.startSqs(0, Optional.of(dir));
                SqsClient client =
                        SqsClients.create(config.withEndpoint(sqs.endpoint().toString()))) {
            // Provisioning again, as every start of serve does, finds the stored queues rather than failing.
            List<QueueRef> queues = SqsQueues.provision(client, config);
            QueueRef queue = queues.getFirst();
            List<String> received = new ArrayList<>();
            List<Message> batch;
            do {
                batch = client.receiveMessage(b -> b.queueUrl(queue.url())
                                .maxNumberOfMessages(10)
                                .visibilityTimeout(600)
                                .waitTimeSeconds(0))
                        .messages();
                batch.forEach(m -> received.add(m.body()));
            } while (!batch.isEmpty());
            assertThat(received)
                    .containsExactlyInAnyOrderElementsOf(
                            sent.stream().filter(body -> !body.equals(deleted)).toList());
            assertThat(client.getQueueAttributes(
                                    b -> b.queueUrl(queue.url()).attributeNamesWithStrings("RedrivePolicy"))
                            .attributesAsStrings())
                    .containsKey("RedrivePolicy");
        }
    }

    @Test
    void tablesAndItemsSurviveARestart(@TempDir Path dir) {
        try (EmbeddedServices.Running dynamo = engines.startDynamoDb(0, Optional.of(dir));
                DynamoDbClient client = patientClient(dynamo)) {
            // A table is created once, at start-up, with StatusTable's generous timeouts: under load the
            // client's request timeout could end the first attempt after DynamoDB Local made the table,
            // and the SDK's retry would then be told it exists.
            client.createTable(b -> b.tableName("kept")
                    .billingMode("PAY_PER_REQUEST")
                    .overrideConfiguration(
                            o -> o.apiCallTimeout(Duration.ofSeconds(60)).apiCallAttemptTimeout(Duration.ofSeconds(30)))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
            client.putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS("m-1"))));
        }
        try (EmbeddedServices.Running dynamo = engines.startDynamoDb(0, Optional.of(dir));
                DynamoDbClient client = patientClient(dynamo)) {
            assertThat(client.getItem(b -> b.tableName("kept").key(Map.of("id", AttributeValue.fromS("m-1"))))
                            .item())
                    .containsEntry("id", AttributeValue.fromS("m-1"));
        }
    }

    /**
     * The first calls to a freshly opened SQLite-backed DynamoDB Local may take longer than the production client's 5 s
     * on a busy machine; this test is about what survives a restart, so the timeout only stops a hang.
     */
    private static DynamoDbClient patientClient(EmbeddedServices.Running dynamo) {
        return DynamoDbClients.createPatient(
                statusAt(HeraldConfig.defaults().status(), dynamo), Duration.ofSeconds(60));
    }

    private static HeraldConfig.Status statusAt(HeraldConfig.Status defaults, EmbeddedServices.Running dynamo) {
        return defaults.withEndpoint(dynamo.endpoint().toString());
    }
}
