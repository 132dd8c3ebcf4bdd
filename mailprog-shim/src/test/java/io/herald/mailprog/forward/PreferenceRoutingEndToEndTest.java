package io.herald.mailprog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.MailprogConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Envelope;
import io.herald.core.preferences.DynamoPreferencesStore;
import io.herald.core.preferences.PreferencesCodec;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A bare --mail-user follows the job owner's preferences, kept in a real status table (DynamoDB Local) and forwarded to
 * a real SQS (ElasticMQ); explicit receivers are honoured as written.
 */
class PreferenceRoutingEndToEndTest {

    private static EmbeddedSqs sqs;
    private static EmbeddedDynamoDb dynamoDb;
    private static DynamoDbClient dynamo;
    private static final AtomicInteger TABLES = new AtomicInteger();
    private final PreferencesCodec codec = new PreferencesCodec();
    private PreferencesStore store;
    private String table;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEngines() {
        sqs = EmbeddedSqs.start(0);
        dynamoDb = EmbeddedDynamoDb.start(0);
        HeraldConfig.Status d = HeraldConfig.defaults().status();
        dynamo = DynamoDbClients.create(
                new HeraldConfig.Status(dynamoDb.endpoint().toString(), d.region(), "unused", d.ttl()));
    }

    @AfterAll
    static void stopEngines() {
        dynamo.close();
        dynamoDb.close();
        sqs.close();
    }

    @BeforeEach
    void freshTable() {
        table = "prefs-" + TABLES.incrementAndGet();
        StatusTable.createIfMissing(dynamo, table);
        store = new DynamoPreferencesStore(dynamo, table);
    }

    private void prefer(String user, String json) throws Exception {
        store.save(((PreferencesCodec.Valid) codec.read(user, codec.parse(json), Set.of("email", "telegram", "slack")))
                .preferences());
    }

    private Harness harness() throws Exception {
        Harness h = new Harness(
                dir,
                sqs.endpoint().toString(),
                m -> m.withPreferences(new MailprogConfig.Preferences(true, Duration.ofSeconds(30))));
        h.provision();
        h.drain();
        return h;
    }

    private static void capture(Harness h, String caseId, String mailUser) throws Exception {
        Fixtures.Case c = Fixtures.caseNamed(caseId);
        List<String> args = new ArrayList<>(c.args());
        if (mailUser != null) {
            args.set(args.size() - 1, mailUser);
        }
        assertThat(h.shim.run(args, c.envEntries()).exitCode()).isZero();
    }

    private PassResult forward(Harness h, PreferencesStore from) {
        try (Forwarder forwarder = h.forwarder(Clock.systemUTC(), from)) {
            return forwarder.pass(true);
        }
    }

    private static List<String> receivers(List<Envelope> sent) {
        return sent.stream().map(e -> e.channel() + ":" + e.target()).sorted().toList();
    }

    private static long inSpool(Harness h) throws Exception {
        try (var files = Files.list(h.shim.spool().resolve("new"))) {
            return files.count();
        }
    }

    @Test
    void slurmsDefaultMailUserFollowsTheOwnersReceiversForThatKindOfEvent() throws Exception {
        prefer("alice", """
                {"receivers": {"work": "mailto:alice@uni.org", "chat": "slack:C0123"},
                 "events": {"END": {"receivers": ["chat"]}}}""");
        try (Harness h = harness()) {
            capture(h, "end-completed", "alice@example.org");
            capture(h, "fail-exit1", "alice");

            PassResult pass = forward(h, store);

            assertThat(pass.delivered()).isEqualTo(2);
            assertThat(receivers(h.drain()))
                    .as("END to the chat only; FAIL (not listed) to both")
                    .containsExactly("email:alice@uni.org", "slack:C0123", "slack:C0123");
            assertThat(h.failed()).isEmpty();
        }
    }

    @Test
    void explicitReceiversAreHonouredAsWrittenWhateverThePreferences() throws Exception {
        prefer("alice", """
                {"receivers": {"chat": "slack:C0123"}, "mute": {"clusters": ["hpc1"]}}""");
        try (Harness h = harness()) {
            capture(h, "end-completed", "mailto:alice@elsewhere.org");

            forward(h, store);

            assertThat(receivers(h.drain())).containsExactly("email:alice@elsewhere.org");
        }
    }

    @Test
    void withoutPreferencesABareNameGoesToTheDefaultReceiverAsBefore() throws Exception {
        try (Harness h = harness()) {
            capture(h, "end-completed", "alice@example.org");

            forward(h, store);

            assertThat(receivers(h.drain())).containsExactly("email:alice@example.org");
        }
    }

    @Test
    void aMutedPartitionOrAnUnwantedKindSendsNothingAndLeavesNothingInTheSpool() throws Exception {
        prefer("alice", """
                {"receivers": {"work": "mailto:alice@uni.org"}, "events": {"BEGIN": {"receivers": []}},
                 "mute": {"partitions": ["hpc1/gpu"]}}""");
        try (Harness h = harness()) {
            capture(h, "begin-simple", null);
            capture(h, "spank-and-extras", null);
            capture(h, "end-completed", null);

            PassResult pass = forward(h, store);

            assertThat(receivers(h.drain()))
                    .as("BEGIN is unwanted, partition gpu on hpc1 muted; END goes")
                    .containsExactly("email:alice@uni.org");
            assertThat(pass.failed()).isZero();
            assertThat(pass.errors()).isEmpty();
            assertThat(inSpool(h)).isZero();
            assertThat(h.failed()).isEmpty();
        }
    }

    @Test
    void anArraySummaryIsItsOwnKind() throws Exception {
        prefer("alice", """
                {"receivers": {"work": "mailto:alice@uni.org", "chat": "slack:C0123"},
                 "events": {"ARRAY_SUMMARY": {"receivers": ["chat"]}, "END": {"receivers": ["work"]}}}""");
        try (Harness h = harness()) {
            capture(h, "array-end-summary-ok", null);

            forward(h, store);

            assertThat(receivers(h.drain())).containsExactly("slack:C0123");
        }
    }

    @Test
    void preferredReceiversPassTheAllowListOrTheOwnerHearsAtTheDefaultWithTheReason() throws Exception {
        prefer("alice", "{\"receivers\": {\"work\": \"mailto:alice@uni.org\"}}");
        try (Harness h = new Harness(
                dir,
                sqs.endpoint().toString(),
                m -> m.withReceivers("example.org", List.of("mailto=.+@example\\.org"))
                        .withPreferences(new MailprogConfig.Preferences(true, Duration.ofSeconds(30))))) {
            h.provision();
            h.drain();
            capture(h, "end-completed", "alice@example.org");

            forward(h, store);

            Envelope sent = h.drain().getFirst();
            assertThat(sent.target()).isEqualTo("alice@example.org");
            assertThat(sent.content().text()).contains("alice@uni.org", "not allowed by mailprog.allowList");
        }
    }

    @Test
    void whenThePreferencesCannotBeReadTheRecordWaitsInTheSpoolAndGoesOnceTheyCan() throws Exception {
        prefer("alice", "{\"receivers\": {\"chat\": \"slack:C0123\"}}");
        try (Harness h = harness()) {
            capture(h, "end-completed", "alice@example.org");

            PassResult down = forward(h, new DynamoPreferencesStore(dynamo, "no-such-table"));

            assertThat(down.errors()).singleElement().asString().contains("alice");
            assertThat(h.drain()).isEmpty();
            assertThat(inSpool(h)).as("nothing guessed, nothing lost").isEqualTo(1);
            assertThat(h.failed()).isEmpty();

            PassResult up = forward(h, store);

            assertThat(up.delivered()).isEqualTo(1);
            assertThat(receivers(h.drain())).containsExactly("slack:C0123");
        }
    }

    @Test
    void whenTheStoreFailsAfterAReadTheLastKnownPreferencesAreFollowed() throws Exception {
        prefer("alice", "{\"receivers\": {\"chat\": \"slack:C0123\"}}");
        try (Harness h = new Harness(
                dir,
                sqs.endpoint().toString(),
                m -> m.withPreferences(new MailprogConfig.Preferences(true, Duration.ZERO)))) {
            h.provision();
            h.drain();
            try (Forwarder forwarder = h.forwarder(Clock.systemUTC(), store)) {
                capture(h, "end-completed", "alice@example.org");
                forwarder.pass(false);
                assertThat(receivers(h.drain())).containsExactly("slack:C0123");

                dynamo.deleteTable(b -> b.tableName(table));
                capture(h, "fail-exit1", "alice");
                PassResult pass = forwarder.pass(false);

                assertThat(pass.errors()).isEmpty();
                assertThat(receivers(h.drain())).containsExactly("slack:C0123");
            }
        }
    }

    @Test
    void withPreferencesSwitchedOffTheStoreIsNeverAsked() throws Exception {
        prefer("alice", "{\"receivers\": {\"chat\": \"slack:C0123\"}}");
        try (Harness h = new Harness(dir, sqs.endpoint().toString(), m -> m)) {
            h.provision();
            h.drain();
            capture(h, "end-completed", "alice@example.org");

            PassResult pass = forward(h, new DynamoPreferencesStore(dynamo, "no-such-table"));

            assertThat(pass.errors()).isEmpty();
            assertThat(receivers(h.drain())).containsExactly("email:alice@example.org");
        }
    }
}
