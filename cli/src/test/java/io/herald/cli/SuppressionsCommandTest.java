package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.feedback.DynamoSuppressions;
import io.herald.core.feedback.Suppression;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code herald suppressions} against a real DynamoDB engine (DynamoDB Local, in-process). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuppressionsCommandTest {

    private static final String TABLE = "herald-status";

    @TempDir
    Path dir;

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private DynamoSuppressions list;

    @BeforeAll
    void start() {
        embedded = EmbeddedDynamoDb.start(0);
        HeraldConfig.Status d = HeraldConfig.defaults().status();
        dynamo = DynamoDbClients.create(
                new HeraldConfig.Status(embedded.endpoint().toString(), d.region(), TABLE, d.ttl()));
        StatusTable.createIfMissing(dynamo, TABLE);
        list = new DynamoSuppressions(dynamo, TABLE);
    }

    @BeforeEach
    void emptyList() {
        list.list(null, 1000).forEach(s -> list.remove(s.address()));
    }

    @AfterAll
    void stop() {
        dynamo.close();
        embedded.close();
    }

    private CommandRun run(String... args) throws Exception {
        Path config = Files.writeString(
                dir.resolve("herald.yaml"),
                "status:\n  endpoint: \"" + embedded.endpoint() + "\"\n  table: " + TABLE + "\n");
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        return CommandRun.of(withConfig);
    }

    @Test
    void addListAndRemoveThroughTheStatusTable() throws Exception {
        CommandRun added =
                run("suppressions", "add", "Bob@Example.org", "--reason", "asked by phone, ticket 4711", "--by", "ann");

        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("Suppressed bob@example.org");
        assertThat(list.find("bob@example.org", "news")).hasValueSatisfying(s -> {
            assertThat(s.source()).isEqualTo("admin:ann");
            assertThat(s.reason()).isEqualTo("asked by phone, ticket 4711");
        });

        list.add(new Suppression("carol@example.org", "news", "unsubscribed", "unsubscribe", Instant.now()));
        CommandRun listed = run("suppressions", "list");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("bob@example.org", "admin:ann", "carol@example.org", "news", "unsubscribed");

        CommandRun json = run("suppressions", "list", "--address", "carol@example.org", "--json");
        JsonNode doc = JsonOutput.mapper().readTree(json.out());
        assertThat(doc.get("suppressions")).hasSize(1);
        assertThat(doc.get("suppressions").get(0).get("category").asText()).isEqualTo("news");

        CommandRun removed = run("suppressions", "remove", "BOB@example.org");
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(list.find("bob@example.org", null)).isEmpty();

        CommandRun again = run("suppressions", "remove", "bob@example.org");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err().strip()).hasLineCount(1).contains("bob@example.org is not suppressed");
    }

    @Test
    void badUsageIsExit2WithOneLineAndChangesNothing() throws Exception {
        CommandRun badAddress = run("suppressions", "add", "not-an-address", "--reason", "x");
        CommandRun noReason = run("suppressions", "add", "dan@example.org");
        CommandRun twoLines = run("suppressions", "add", "dan@example.org", "--reason", "one\ntwo");
        CommandRun badLimit = run("suppressions", "list", "--limit", "0");

        assertThat(badAddress.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(badAddress.err().strip()).hasLineCount(1).contains("ADDRESS has no '@'");
        assertThat(noReason.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(noReason.err()).contains("--reason");
        assertThat(twoLines.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(badLimit.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(run("suppressions").exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(list.list(null, 10)).isEmpty();
    }

    @Test
    void anEmptyListSaysSoAndHelpExitsZero() throws Exception {
        CommandRun listed = run("suppressions", "list");
        CommandRun help = CommandRun.of("suppressions", "add", "--help");

        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("Nothing is suppressed.");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--reason", "Exit codes");
    }

    @Test
    void anUnreachableTableIsExit1WithOneLine() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path config = Files.writeString(
                dir.resolve("down.yaml"),
                "status:\n  endpoint: \"http://127.0.0.1:" + closed + "\"\n  table: " + TABLE + "\n");

        CommandRun listed = CommandRun.of("suppressions", "list", "--config", config.toString());

        assertThat(listed.exitCode()).isEqualTo(1);
        assertThat(listed.err().strip()).hasLineCount(1).contains("suppression list cannot be read");
    }
}
