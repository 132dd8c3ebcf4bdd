package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.HeraldConfig;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.control.QueueAge;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code herald dlq} and {@code herald queues} through the real command line, against an in-process ElasticMQ, with
 * messages dead-lettered the way the pipeline does it.
 */
class DlqCommandTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static EmbeddedSqs embedded;
    private static SqsClient sqs;
    /** Redrive resets statuses in the status table. */
    private static EmbeddedDynamoDb dynamoDb;

    @TempDir
    Path dir;

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final ObjectMapper json = new ObjectMapper();
    private List<QueueRef> queues;
    private Path config;

    @BeforeAll
    static void startSqs() {
        embedded = EmbeddedSqs.start(0);
        sqs = SqsClients.create(
                HeraldConfig.defaults().sqs().withEndpoint(embedded.endpoint().toString()));
        dynamoDb = EmbeddedDynamoDb.start(0);
        HeraldConfig.Status status = HeraldConfig.defaults()
                .status()
                .withEndpoint(dynamoDb.endpoint().toString());
        try (DynamoDbClient dynamo = DynamoDbClients.create(status)) {
            StatusTable.createIfMissing(dynamo, status.table());
        }
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        embedded.close();
        dynamoDb.close();
    }

    @BeforeEach
    void freshQueues() throws Exception {
        String a = "ops" + SEQUENCE.incrementAndGet() + "-a";
        String b = "ops" + SEQUENCE.get() + "-b";
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        queues = SqsQueues.provision(
                sqs,
                new HeraldConfig.Sqs(
                        embedded.endpoint().toString(),
                        d.region(),
                        List.of(a, b),
                        d.deadLetterSuffix(),
                        d.maxReceiveCount(),
                        d.visibilityTimeout(),
                        d.maxConnections()));
        config = Files.writeString(
                dir.resolve("herald.yaml"), """
                sqs:
                  endpoint: %s
                  queues: [%s, %s]
                status:
                  endpoint: %s
                """.formatted(embedded.endpoint(), a, b, dynamoDb.endpoint()));
    }

    private CommandRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private Envelope deadLetter(QueueRef queue, String channel, String target, String reason, String provider) {
        Envelope envelope =
                Envelope.create(channel, target, Content.of("subject", "text"), Origin.api("tests"), Instant.now());
        sqs.sendMessage(b -> b.queueUrl(queue.deadLetterUrl())
                .messageBody(codec.encode(envelope))
                .messageAttributes(MessageAttributes.deadLettered(reason, queue.name(), Instant.now(), provider)));
        return envelope;
    }

    private static List<Message> takeAll(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(
                            b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
            batch.forEach(m -> sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(m.receiptHandle())));
        }
    }

    @Test
    void listPrintsATableOfEveryDeadLetterWithItsReasonAndLosesNone() {
        Envelope bounced = deadLetter(queues.get(0), "email", "bad@example.org", "550 mailbox unavailable", "ses");
        deadLetter(queues.get(1), "telegram", "42", "403 bot was blocked", "telegram");

        CommandRun run = run("dlq", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines[0])
                .startsWith("ID")
                .contains("CHANNEL", "TARGET", "PROVIDER", "DEAD-LETTERED", "QUEUE", "REASON");
        assertThat(run.out())
                .contains(
                        bounced.id(),
                        "bad@example.org",
                        "550 mailbox unavailable",
                        "403 bot was blocked",
                        "2 message(s)");
        assertThat(takeAll(queues.get(0).deadLetterUrl())).hasSize(1);
        assertThat(takeAll(queues.get(1).deadLetterUrl())).hasSize(1);
    }

    @Test
    void listFiltersByChannelAndPrintsJsonForScripts() throws Exception {
        Envelope email = deadLetter(queues.get(0), "email", "bad@example.org", "550 mailbox unavailable", "ses");
        deadLetter(queues.get(0), "telegram", "42", "403 bot was blocked", "telegram");

        CommandRun run = run("dlq", "list", "--channel", "email", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode listed = json.readTree(run.out()).get("deadLetters");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(email.id());
        assertThat(listed.get(0).get("provider").asText()).isEqualTo("ses");
        assertThat(listed.get(0).get("reason").asText()).isEqualTo("550 mailbox unavailable");
        assertThat(listed.get(0).get("queue").asText()).isEqualTo(queues.get(0).name());
        assertThat(listed.get(0).get("deadLetteredAt").asText()).endsWith("Z");
    }

    @Test
    void anEmptyDeadLetterQueueSaysSo() {
        CommandRun run = run("dlq", "list");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("No dead-lettered messages in " + queues.get(0).deadLetterName());
    }

    @Test
    void showPrintsOneMessageWithItsBodyAndLeavesItThere() throws Exception {
        Envelope wanted = deadLetter(
                queues.get(1), "email", "wanted@example.org", "gave up after 5 attempts: HTTP 503", "sendgrid");

        CommandRun human = run("dlq", "show", wanted.id());
        CommandRun machine = run("dlq", "show", wanted.id(), "--json");

        assertThat(human.exitCode()).as(human.err()).isZero();
        assertThat(human.out())
                .contains("gave up after 5 attempts: HTTP 503", "sendgrid", "\"target\" : \"wanted@example.org\"");
        JsonNode shown = json.readTree(machine.out());
        assertThat(codec.decode(shown.get("body").asText())).isEqualTo(wanted);
        assertThat(takeAll(queues.get(1).deadLetterUrl())).hasSize(1);
    }

    @Test
    void aSecretInAStoredReasonIsMaskedInEveryOutputEvenURLEncoded() throws Exception {
        // A reason dead-lettered by a version that did not yet mask the URL-encoded token (issue 15, finding 9).
        String token = "123456789:AAH-dlqSecretToken_xyz0123456789";
        String encoded = java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(config, Files.readString(config) + """
                providers:
                  telegram:
                    botToken: "%s"
                """.formatted(token));
        Envelope leaked = deadLetter(
                queues.get(0),
                "telegram",
                "-100999",
                "Telegram 400: Bad Request: chat not found" + " (https%3A%2F%2Fapi.telegram.org%2Fbot" + encoded
                        + "%2FsendMessage)",
                "telegram");

        List<CommandRun> runs = List.of(
                run("dlq", "list"),
                run("dlq", "list", "--json"),
                run("dlq", "show", leaked.id()),
                run("dlq", "show", leaked.id(), "--json"));

        for (CommandRun r : runs) {
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out() + r.err())
                    .contains("chat not found")
                    .contains("(redacted)")
                    .doesNotContain(token)
                    .doesNotContain(encoded)
                    .doesNotContain(token.substring(10));
        }
    }

    @Test
    void showOfAnUnknownIdFailsWithOneLine() {
        deadLetter(queues.get(0), "email", "a@example.org", "550", "ses");

        CommandRun run = run("dlq", "show", "0190-no-such-id");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .startsWith("herald: no dead-lettered message with id '0190-no-such-id' in "
                        + queues.get(0).deadLetterName());
        assertThat(takeAll(queues.get(0).deadLetterUrl())).hasSize(1);
    }

    @Test
    void redriveMovesTheFilteredMessagesBackWithACountAndProgress() {
        List<Envelope> timedOut = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            timedOut.add(deadLetter(
                    queues.get(i % 2),
                    "email",
                    "t" + i + "@example.org",
                    "gave up after 5 attempts: send timed out after 10000 ms",
                    "sendgrid"));
        }
        deadLetter(queues.get(0), "email", "bounce@example.org", "550 mailbox unavailable", "sendgrid");
        deadLetter(queues.get(1), "email", "other@example.org", "gave up after 5 attempts: send timed out", "ses");

        CommandRun run = run("dlq", "redrive", "--filter", "reason=Timed Out", "--filter", "provider=sendgrid");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip())
                .isEqualTo("Moved 12 dead-lettered message(s) back to their queues "
                        + "(14 examined, filter reason=Timed Out, provider=sendgrid).");
        assertThat(run.err())
                .containsPattern("^herald: redrive: \\d+ examined \\(about 14 waiting at the start\\), \\d+ moved\n");
        List<Envelope> back = new ArrayList<>();
        for (QueueRef queue : queues) {
            takeAll(queue.url()).forEach(m -> back.add(codec.decode(m.body())));
        }
        assertThat(back).containsExactlyInAnyOrderElementsOf(timedOut);
        assertThat(takeAll(queues.get(0).deadLetterUrl()))
                .extracting(m -> codec.decode(m.body()).target())
                .containsExactly("bounce@example.org");
        assertThat(takeAll(queues.get(1).deadLetterUrl()))
                .extracting(m -> codec.decode(m.body()).target())
                .containsExactly("other@example.org");
    }

    @Test
    void aDryRunReportsWhatWouldMoveAsJsonAndMovesNothing() throws Exception {
        deadLetter(queues.get(0), "email", "a@example.org", "550", "ses");
        deadLetter(queues.get(1), "telegram", "7", "403", "telegram");

        CommandRun run = run("dlq", "redrive", "--filter", "channel=telegram", "--dry-run", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = json.readTree(run.out());
        assertThat(result.get("examined").asInt()).isEqualTo(2);
        assertThat(result.get("matched").asInt()).isEqualTo(1);
        assertThat(result.get("moved").asInt()).isZero();
        assertThat(result.get("dryRun").asBoolean()).isTrue();
        assertThat(takeAll(queues.get(0).url())).isEmpty();
        assertThat(takeAll(queues.get(1).url())).isEmpty();
        assertThat(takeAll(queues.get(0).deadLetterUrl())).hasSize(1);
        assertThat(takeAll(queues.get(1).deadLetterUrl())).hasSize(1);
    }

    @Test
    void aBadFilterFailsWithOneLineBeforeTouchingAnything() {
        deadLetter(queues.get(0), "email", "a@example.org", "550", "ses");

        CommandRun run = run("dlq", "redrive", "--filter", "colour=red");

        assertThat(run.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(run.err().strip()).hasLineCount(1).startsWith("herald: bad filter 'colour=red'");
        assertThat(takeAll(queues.get(0).deadLetterUrl())).hasSize(1);
    }

    @Test
    void queuesPrintsDepthInFlightAndDelayedForEveryQueueAndItsDeadLetterQueue() throws Exception {
        for (int i = 0; i < 3; i++) {
            sqs.sendMessage(b -> b.queueUrl(queues.get(0).url()).messageBody("waiting"));
        }
        sqs.receiveMessage(
                b -> b.queueUrl(queues.get(0).url()).maxNumberOfMessages(1).visibilityTimeout(60));
        deadLetter(queues.get(1), "email", "a@example.org", "550", "ses");

        CommandRun table = run("queues");
        CommandRun machine = run("queues", "--json");

        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out())
                .containsPattern("QUEUE\\s+WAITING\\s+IN FLIGHT\\s+DELAYED\\s+OLDEST")
                .containsPattern(queues.get(0).name() + "\\s+2\\s+1\\s+0\\s+—")
                .containsPattern(queues.get(0).deadLetterName() + "\\s+0\\s+0\\s+0\\s+0s")
                .containsPattern(queues.get(1).deadLetterName() + "\\s+1\\s+0\\s+0\\s+\\d+s")
                .contains("— " + queues.get(0).name() + ": no pipeline reporting");
        JsonNode listed = json.readTree(machine.out()).get("queues");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("queue").asText()).isEqualTo(queues.get(0).name());
        assertThat(listed.get(0).get("depth").asLong()).isEqualTo(2);
        assertThat(listed.get(0).get("inFlight").asLong()).isEqualTo(1);
        assertThat(listed.get(0).get("oldestAgeSeconds").isNull()).isTrue();
        assertThat(listed.get(0).get("oldestAgeFrom").asText()).isEqualTo("no-pipeline-reporting");
        assertThat(listed.get(1).get("deadLetter").get("queue").asText())
                .isEqualTo(queues.get(1).deadLetterName());
        assertThat(listed.get(1).get("deadLetter").get("depth").asLong()).isEqualTo(1);
        assertThat(listed.get(1).get("deadLetter").get("oldestAgeFrom").asText())
                .isEqualTo("sample");
    }

    @Test
    void queuesShowsTheAgeTheLivePipelinesReportedAndADeadLetterQueuesPeekedAge() throws Exception {
        sqs.sendMessage(b -> b.queueUrl(queues.get(0).url()).messageBody("waiting"));
        sqs.sendMessage(b -> b.queueUrl(queues.get(1).url()).messageBody("waiting"));
        Instant now = Instant.now();
        try (DynamoDbClient dynamo = DynamoDbClients.create(HeraldConfig.defaults()
                .status()
                .withEndpoint(dynamoDb.endpoint().toString()))) {
            DynamoControlStore control = new DynamoControlStore(
                    dynamo,
                    HeraldConfig.defaults().status().table(),
                    HeraldConfig.defaults().control().staleAfter(),
                    Clock.systemUTC());
            control.publishQueueAge(new QueueAge("host-a:1", queues.get(0).name(), now.minusSeconds(300), now));
            // Its instance stopped reporting longer ago than control.staleAfter: ignored.
            control.publishQueueAge(new QueueAge(
                    "host-b:2",
                    queues.get(1).name(),
                    now.minusSeconds(7200),
                    now.minus(HeraldConfig.defaults().control().staleAfter()).minusSeconds(1)));
        }
        Instant deadLettered = Instant.now();
        deadLetter(queues.get(1), "email", "a@example.org", "550", "ses");
        Instant waitedUntil = Instant.now().plusSeconds(2);
        // ElasticMQ stamps SentTimestamp with the real clock: the dead letter's age is judged once the clock
        // reads at least this much later, however long that takes on a busy machine.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !Instant.now().isBefore(waitedUntil));

        CommandRun table = run("queues");
        CommandRun machine = run("queues", "--json");

        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out())
                .containsPattern(queues.get(0).name() + "\\s+1\\s+0\\s+0\\s+5m")
                .containsPattern(queues.get(1).name() + "\\s+1\\s+0\\s+0\\s+—")
                .contains("— " + queues.get(1).name() + ": no pipeline reporting");
        JsonNode listed = json.readTree(machine.out()).get("queues");
        assertThat(listed.get(0).get("oldestAgeSeconds").asLong())
                .isBetween(300L, 300 + Duration.between(now, Instant.now()).toSeconds() + 1);
        assertThat(listed.get(0).get("oldestAgeFrom").asText()).isEqualTo("pipeline");
        assertThat(listed.get(1).get("oldestAgeSeconds").isNull()).isTrue();
        JsonNode dead = listed.get(1).get("deadLetter");
        assertThat(dead.get("oldestAgeSeconds").asLong())
                .isBetween(2L, Duration.between(deadLettered, Instant.now()).toSeconds() + 1);
        assertThat(dead.get("oldestAgeFrom").asText()).isEqualTo("sample");
        assertThat(takeAll(queues.get(1).deadLetterUrl()))
                .as("peeked, not taken")
                .hasSize(1);
    }

    @Test
    void agesReadAtAGlance() {
        assertThat(QueuesCommand.age(0)).isEqualTo("0s");
        assertThat(QueuesCommand.age(59)).isEqualTo("59s");
        assertThat(QueuesCommand.age(4 * 60 + 59)).isEqualTo("4m");
        assertThat(QueuesCommand.age(2 * 3600 + 1800)).isEqualTo("2h");
        assertThat(QueuesCommand.age(3 * 86_400 + 7)).isEqualTo("3d");
    }

    @Test
    void localReachesTheStackItsStateFileNames() throws Exception {
        deadLetter(queues.get(0), "email", "a@example.org", "550 via local", "ses");
        // Nothing in the configuration points at the test's SQS: only the state file does.
        Path local = Files.writeString(
                dir.resolve("local.yaml"),
                LocalStateFixture.write(
                        dir.resolve("local-state.json"),
                        embedded.endpoint().toString(),
                        List.of(queues.get(0).name(), queues.get(1).name()),
                        dynamoDb.endpoint().toString(),
                        "herald-status"));

        CommandRun run = CommandRun.of("dlq", "list", "--local", "--config", local.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("550 via local");
    }

    @Test
    void queuesThatDoNotExistAreNamedWithTheKey() throws Exception {
        Path missing = Files.writeString(dir.resolve("missing.yaml"), """
                sqs:
                  endpoint: %s
                  queues: [no-such-queue]
                """.formatted(embedded.endpoint()));

        CommandRun run = CommandRun.of("queues", "--config", missing.toString());

        assertThat(run.exitCode()).isEqualTo(Herald.EXIT_BAD_CONFIG);
        assertThat(run.err())
                .startsWith("herald: invalid configuration:")
                .contains("sqs.queues (HERALD_SQS_QUEUES): queue 'no-such-queue' does not exist");
    }

    @Test
    void localWithNothingRunningSaysSoOnOneLine() throws Exception {
        Path local = Files.writeString(
                dir.resolve("nothing.yaml"), "local:\n  stateFile: " + dir.resolve("none.json") + "\n");

        CommandRun run = CommandRun.of("queues", "--local", "--config", local.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .startsWith("herald: no ./herald local is running (there is no " + dir.resolve("none.json") + ")");
    }

    @Test
    void localWhoseProcessHasExitedIsNotReachedEvenIfSomethingListensThere() throws Exception {
        Process gone = new ProcessBuilder("/bin/true").start();
        gone.waitFor();
        Path state = dir.resolve("stale.json");
        new LocalStackState(
                        gone.pid(),
                        embedded.endpoint().toString(),
                        List.of(queues.get(0).name()),
                        "-dlq",
                        dynamoDb.endpoint().toString(),
                        "herald-status",
                        "http://127.0.0.1:1",
                        java.time.Instant.now())
                .write(state);
        Path local = Files.writeString(dir.resolve("stale.yaml"), "local:\n  stateFile: " + state + "\n");

        CommandRun run = CommandRun.of("queues", "--local", "--config", local.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .startsWith("herald: no ./herald local is running: " + state + " names PID " + gone.pid()
                        + ", which has exited");
    }

    @Test
    void aStateFileNamingAnotherMachineIsRefused() throws Exception {
        Path state = dir.resolve("remote.json");
        new LocalStackState(
                        ProcessHandle.current().pid(),
                        "http://sqs.example.org:9324",
                        List.of("q"),
                        "-dlq",
                        dynamoDb.endpoint().toString(),
                        "herald-status",
                        "http://127.0.0.1:1",
                        java.time.Instant.now())
                .write(state);
        Path local = Files.writeString(dir.resolve("remote.yaml"), "local:\n  stateFile: " + state + "\n");

        CommandRun run = CommandRun.of("dlq", "list", "--local", "--config", local.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .contains("http://sqs.example.org:9324", "not on this machine's loopback");
    }
}
