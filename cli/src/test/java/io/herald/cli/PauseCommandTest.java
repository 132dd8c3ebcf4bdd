package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.control.ControlStore;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.control.Pause;
import io.herald.core.control.PauseScope;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code herald pause} and {@code herald resume} against a real DynamoDB engine (DynamoDB Local, in-process). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PauseCommandTest {

    private static final String TABLE = "herald-status";

    @TempDir
    Path dir;

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private ControlStore store;

    @BeforeAll
    void start() {
        embedded = EmbeddedDynamoDb.start(0);
        HeraldConfig.Status d = HeraldConfig.defaults().status();
        dynamo = DynamoDbClients.create(
                new HeraldConfig.Status(embedded.endpoint().toString(), d.region(), TABLE, d.ttl()));
        StatusTable.createIfMissing(dynamo, TABLE);
        store = new DynamoControlStore(dynamo, TABLE, Duration.ofSeconds(30), Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        dynamo.close();
        embedded.close();
    }

    private Path config(String endpoint) throws Exception {
        return Files.writeString(
                dir.resolve("herald.yaml"), "status:\n  endpoint: \"" + endpoint + "\"\n  table: " + TABLE + "\n");
    }

    private CommandRun run(String... args) throws Exception {
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config(embedded.endpoint().toString()).toString();
        return CommandRun.of(withConfig);
    }

    @Test
    void pauseListAndResumeAProviderThroughTheStatusTable() throws Exception {
        CommandRun paused = run("pause", "--provider", "sendgrid");

        assertThat(paused.exitCode()).as(paused.err()).isZero();
        assertThat(paused.out()).contains("Paused provider sendgrid").contains("herald resume --provider sendgrid");
        assertThat(store.pauses()).singleElement().satisfies(p -> {
            assertThat(p.scope()).isEqualTo(PauseScope.provider("sendgrid"));
            assertThat(p.by()).isEqualTo("cli");
        });

        CommandRun listed = run("pause", "--list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).containsPattern("provider\\s+sendgrid\\s+since \\S+ by cli");

        CommandRun resumed = run("resume", "--provider", "sendgrid");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("Resumed provider sendgrid");
        assertThat(store.pauses()).isEmpty();

        CommandRun again = run("resume", "--provider", "sendgrid");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("was not paused");
        assertThat(run("pause", "--list").out()).contains("Nothing is paused.");
    }

    @Test
    void aPauseCarriesItsReasonIntoTheListingAndJson() throws Exception {
        CommandRun paused =
                run("pause", "--provider", "ses", "--by", "alice", "--reason", "SES sandbox limit, ticket 4711");

        assertThat(paused.exitCode()).as(paused.err()).isZero();
        assertThat(store.pauses()).extracting(Pause::reason).containsExactly("SES sandbox limit, ticket 4711");
        assertThat(run("pause", "--list").out())
                .containsPattern("provider\\s+ses\\s+since \\S+ by alice: SES sandbox limit, ticket 4711");
        assertThat(run("pause", "--list", "--json").out()).contains("\"reason\":\"SES sandbox limit, ticket 4711\"");
        run("resume", "--provider", "ses");
        assertThat(store.pauses()).isEmpty();
    }

    @Test
    void aReasonOverTheLimitIsAUsageErrorAndPausesNothing() throws Exception {
        CommandRun paused = run("pause", "--channel", "email", "--reason", "x".repeat(Pause.MAX_REASON_CHARS + 1));

        assertThat(paused.exitCode()).isEqualTo(2);
        assertThat(paused.err().strip())
                .startsWith("herald pause: --reason must be at most " + Pause.MAX_REASON_CHARS)
                .doesNotContain("\n");
        assertThat(store.pauses()).isEmpty();
    }

    @Test
    void aChannelPauseNamesWhoPausedIt() throws Exception {
        CommandRun paused = run("pause", "--channel", "email", "--by", "alice");

        assertThat(paused.exitCode()).as(paused.err()).isZero();
        assertThat(store.pauses()).extracting(Pause::by).containsExactly("alice");
        run("resume", "--channel", "email");
        assertThat(store.pauses()).isEmpty();
    }

    @Test
    void anUnknownNameFailsWithOneLineNamingIt() throws Exception {
        CommandRun run = run("pause", "--provider", "postmark");

        assertThat(run.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .startsWith("herald: unknown provider 'postmark'")
                .contains("sendgrid");
        assertThat(store.pauses()).isEmpty();
    }

    @Test
    void channelAndProviderTogetherOrNeitherAreRefused() throws Exception {
        assertThat(run("pause", "--channel", "email", "--provider", "ses").exitCode())
                .isEqualTo(Herald.EXIT_USAGE);
        assertThat(run("pause").exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(run("resume").exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(store.pauses()).isEmpty();
    }

    @Test
    void anUnreachableTableFailsWithOneLine() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        CommandRun run = CommandRun.of(
                "pause",
                "--channel",
                "email",
                "--config",
                config("http://127.0.0.1:" + closed).toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).hasLineCount(1).startsWith("herald: cannot pause channel email");
    }

    @Test
    void jsonPrintsThePausesAsTheApiAnswersThem() throws Exception {
        CommandRun paused = run("pause", "--channel", "slack", "--json");

        assertThat(paused.exitCode()).as(paused.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode json = JsonOutput.mapper().readTree(paused.out());
        assertThat(json.get("pauses").get(0).get("scope").asText()).isEqualTo("channel");
        assertThat(json.get("pauses").get(0).get("name").asText()).isEqualTo("slack");
        assertThat(json.get("pauses").get(0).get("by").asText()).isEqualTo("cli");

        CommandRun resumed = run("resume", "--channel", "slack", "--json");
        assertThat(JsonOutput.mapper().readTree(resumed.out()).get("pauses")).isEmpty();
    }

    @Test
    void localReachesTheTableOfARunningLocalStack() throws Exception {
        Path file = Files.writeString(
                dir.resolve("local.yaml"),
                LocalStateFixture.write(
                        dir.resolve("local-state.json"),
                        "http://127.0.0.1:1",
                        java.util.List.of("herald-1"),
                        embedded.endpoint().toString(),
                        TABLE));

        CommandRun paused = CommandRun.of("pause", "--provider", "ses", "--local", "--config", file.toString());

        assertThat(paused.exitCode()).as(paused.err()).isZero();
        assertThat(store.pauses()).extracting(Pause::scope).containsExactly(PauseScope.provider("ses"));
        assertThat(CommandRun.of("resume", "--provider", "ses", "--local", "--config", file.toString())
                        .exitCode())
                .isZero();
        assertThat(store.pauses()).isEmpty();
    }

    @Test
    void bothCommandsHaveHelp() {
        for (String command : new String[] {"pause", "resume"}) {
            CommandRun run = CommandRun.of(command, "--help");
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out())
                    .as(command)
                    .contains("--channel")
                    .contains("--provider")
                    .contains("--config")
                    .contains("--local")
                    .contains("--json");
        }
    }
}
