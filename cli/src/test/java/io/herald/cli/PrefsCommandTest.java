package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.preferences.DynamoPreferencesStore;
import io.herald.core.preferences.EventKind;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code herald prefs} against a real DynamoDB engine (DynamoDB Local, in-process). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrefsCommandTest {

    private static final String TABLE = "herald-status";
    private static final String ALICE = """
            {"receivers": {"work": "mailto:alice@uni.org", "phone": "telegram:123456"},
             "events": {"FAIL": {"receivers": ["work", "phone"]}, "BEGIN": {"receivers": []}},
             "quietHours": {"from": "22:00", "to": "07:00", "timeZone": "Europe/Berlin", "breakThrough": ["FAIL"]},
             "mute": {"partitions": ["debug"]}}""";

    @TempDir
    Path dir;

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private PreferencesStore store;

    @BeforeAll
    void start() {
        embedded = EmbeddedDynamoDb.start(0);
        HeraldConfig.Status d = HeraldConfig.defaults().status();
        dynamo = DynamoDbClients.create(
                new HeraldConfig.Status(embedded.endpoint().toString(), d.region(), TABLE, d.ttl()));
        StatusTable.createIfMissing(dynamo, TABLE);
        store = new DynamoPreferencesStore(dynamo, TABLE);
    }

    @BeforeEach
    void noPreferences() {
        store.delete("alice");
    }

    @AfterAll
    void stop() {
        dynamo.close();
        embedded.close();
    }

    /** The outbox (email) and Telegram have providers; nothing else does. */
    private Path config(String endpoint) throws Exception {
        return Files.writeString(
                dir.resolve("herald.yaml"),
                "status:\n  endpoint: \"" + endpoint + "\"\n  table: " + TABLE
                        + "\nproviders:\n  telegram:\n    enabled: true\n    botToken: \"123:abc\"\n");
    }

    private CommandRun run(String... args) throws Exception {
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config(embedded.endpoint().toString()).toString();
        return CommandRun.of(withConfig);
    }

    @Test
    void setThenShowThroughTheStatusTable() throws Exception {
        Path file = Files.writeString(dir.resolve("alice.json"), ALICE);

        CommandRun set = run("prefs", "set", "alice", file.toString());

        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out()).contains("Saved the preferences of alice");
        assertThat(store.find("alice")).hasValueSatisfying(p -> {
            assertThat(p.receiversFor(EventKind.BEGIN)).isEmpty();
            assertThat(p.updatedBy()).startsWith("cli:");
        });

        CommandRun shown = run("prefs", "show", "alice");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out())
                .contains(
                        "receiver work",
                        "mailto:alice@uni.org",
                        "BEGIN",
                        "not sent",
                        "22:00-07:00 Europe/Berlin",
                        "breaking through: FAIL",
                        "muted partitions debug");

        CommandRun json = run("prefs", "show", "alice", "--json");
        JsonNode doc = JsonOutput.mapper().readTree(json.out());
        assertThat(doc.get("receivers").get("phone").asText()).isEqualTo("telegram:123456");
        Path back = Files.writeString(dir.resolve("back.json"), json.out());
        assertThat(run("prefs", "set", "alice", back.toString()).exitCode())
                .as("show --json feeds set")
                .isZero();
    }

    @Test
    void aRefusedDocumentIsExit2WithEveryFieldOnOneLineAndNothingSaved() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.json"), """
                {"receivers": {"chat": "slack:C0123"},
                 "quietHours": {"from": "22:00", "to": "7am", "timeZone": "UTC"}}""");

        CommandRun set = run("prefs", "set", "alice", file.toString());

        assertThat(set.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(set.err().strip())
                .hasLineCount(1)
                .contains("receivers.chat: channel slack has no provider")
                .contains("quietHours.to");
        assertThat(store.find("alice")).isEmpty();
    }

    @Test
    void aUserWithoutPreferencesIsExit1AndABadNameExit2() throws Exception {
        CommandRun none = run("prefs", "show", "alice");
        CommandRun badName = run("prefs", "show", "-x,y");

        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err().strip()).hasLineCount(1).contains("alice has no preferences");
        assertThat(badName.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(run("prefs").exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(run("prefs", "set", "alice").exitCode()).isEqualTo(Herald.EXIT_USAGE);
    }

    @Test
    void deleteRemovesThemAndSaysSoWhenThereWereNone() throws Exception {
        run(
                "prefs",
                "set",
                "alice",
                Files.writeString(dir.resolve("a.json"), ALICE).toString());

        assertThat(run("prefs", "delete", "alice").out()).contains("Deleted the preferences of alice");
        assertThat(store.find("alice")).isEmpty();
        assertThat(run("prefs", "delete", "alice").out()).contains("alice had no preferences");
    }

    @Test
    void anUnreachableTableFailsWithOneLine() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        CommandRun run = CommandRun.of(
                "prefs",
                "show",
                "alice",
                "--config",
                config("http://127.0.0.1:" + closed).toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).hasLineCount(1).startsWith("herald: the preferences of alice cannot be read");
    }

    @Test
    void everySubcommandHasHelp() throws Exception {
        for (String sub : new String[] {"show", "set", "delete"}) {
            CommandRun help = CommandRun.of("prefs", sub, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Exit codes");
        }
    }
}
