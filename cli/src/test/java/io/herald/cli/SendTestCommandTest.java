package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code herald send-test} through the real command line: against a running local stack (embedded SQS and DynamoDB, the
 * pipeline delivering email into the outbox), reached with {@code --local} exactly as an operator reaches
 * {@code ./herald local}; and against queues nobody reads.
 */
class SendTestCommandTest {

    @TempDir
    static Path dir;

    private static LocalStack stack;
    private static Path localConfig;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startStack() throws IOException {
        int sqsPort = freePort();
        int dynamoPort = freePort();
        stack = LocalStack.start(
                new ConfigLoader(Map.of()).loadYaml("""
                api: {port: 0}
                pipeline: {adminPort: -1}
                providers: {outbox: {dir: "%s"}}
                local: {sqsPort: %d, dynamodbPort: %d}
                """.formatted(dir.resolve("outbox"), sqsPort, dynamoPort)));
        // What `./herald local` writes when it is up; the operator's configuration only says where.
        Path state = dir.resolve("herald-local.json");
        LocalStackState.of(stack, ProcessHandle.current().pid(), java.time.Instant.now())
                .write(state);
        localConfig = Files.writeString(dir.resolve("herald.yaml"), "local:\n  stateFile: " + state + "\n");
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aTestEmailIsDeliveredToTheOutboxAndEachStateIsPrinted() {
        CommandRun run = CommandRun.of(
                "send-test",
                "mailto:you@example.org",
                "--timeout",
                "30s",
                "--local",
                "--config",
                localConfig.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String id = run.out().lines().findFirst().orElseThrow().split(" ")[3];
        assertThat(run.out())
                .contains("to mailto:you@example.org via herald-1")
                .containsPattern("\\d\\.\\ds  queued")
                .containsPattern("\\d\\.\\ds  delivered  provider outbox");
        assertThat(stack.localDirectory().orElseThrow().resolve(id + ".eml")).exists();
    }

    @Test
    void jsonReportsTheStatesAndTheOutcome() throws Exception {
        CommandRun run =
                CommandRun.of("send-test", "you@example.org", "--json", "--local", "--config", localConfig.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode outcome = json.readTree(run.out());
        assertThat(outcome.get("delivered").asBoolean()).isTrue();
        assertThat(outcome.get("finalState").asText()).isEqualTo("delivered");
        assertThat(outcome.get("receiver").asText()).isEqualTo("mailto:you@example.org");
        JsonNode states = outcome.get("states");
        assertThat(states.get(0).get("state").asText()).isEqualTo("queued");
        assertThat(states.get(states.size() - 1).get("state").asText()).isEqualTo("delivered");
        assertThat(run.err()).contains("queued");
    }

    @Test
    void aMessageNoProviderTakesEndsRejectedAndExitsOne() {
        CommandRun run =
                CommandRun.of("send-test", "telegram:123456789", "--local", "--config", localConfig.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .endsWith("was not delivered: rejected (no provider configured for channel 'telegram')");
    }

    @Test
    void badInputIsRefusedOnOneLine() {
        CommandRun receiver = CommandRun.of("send-test", "fax:1", "--local", "--config", localConfig.toString());
        CommandRun two = CommandRun.of(
                "send-test", "a@example.org,b@example.org", "--local", "--config", localConfig.toString());
        CommandRun timeout = CommandRun.of(
                "send-test", "a@example.org", "--timeout", "soon", "--local", "--config", localConfig.toString());

        assertThat(receiver.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(receiver.err().strip()).hasLineCount(1).startsWith("herald: receiver 'fax:1': unknown scheme 'fax'");
        assertThat(two.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(two.err().strip()).isEqualTo("herald: give exactly one receiver, not 2");
        assertThat(timeout.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(timeout.err().strip()).startsWith("herald: --timeout 'soon' is not a duration");
    }

    @Test
    void withoutAPipelineItTimesOutCleanlyAndTheMessageWaitsOnItsQueue() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0);
                EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(0)) {
            HeraldConfig.Sqs sqsConfig =
                    HeraldConfig.defaults().sqs().withEndpoint(sqs.endpoint().toString());
            HeraldConfig.Status statusConfig = HeraldConfig.defaults()
                    .status()
                    .withEndpoint(dynamo.endpoint().toString());
            QueueRef first;
            try (SqsClient client = SqsClients.create(sqsConfig);
                    DynamoDbClient dynamoClient = DynamoDbClients.create(statusConfig)) {
                first = SqsQueues.provision(client, sqsConfig).getFirst();
                StatusTable.createIfMissing(dynamoClient, statusConfig.table());
            }
            Path config =
                    Files.writeString(dir.resolve("unread.yaml"), """
                    sqs:
                      endpoint: %s
                    status:
                      endpoint: %s
                    """.formatted(sqs.endpoint(), dynamo.endpoint()));

            CommandRun run = CommandRun.of(
                    "send-test", "mailto:you@example.org", "--timeout", "1s", "--config", config.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().strip())
                    .hasLineCount(1)
                    .endsWith("has no final state after 1s; last seen queued (is a pipeline reading herald-1?)");
            try (SqsClient client = SqsClients.create(sqsConfig)) {
                List<Message> waiting = client.receiveMessage(
                                b -> b.queueUrl(first.url()).waitTimeSeconds(1))
                        .messages();
                assertThat(waiting).hasSize(1);
                assertThat(new EnvelopeCodec().decode(waiting.getFirst().body()).target())
                        .isEqualTo("you@example.org");
            }
        }
    }
}
