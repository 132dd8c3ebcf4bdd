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
import java.time.Duration;
import java.time.Instant;
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
 * Quiet hours and the digests users choose: what is held waits in the spool and goes as one digest when its time comes,
 * also after a forwarder restart. Real status table (DynamoDB Local) and SQS (ElasticMQ); the forwarder's clock is
 * moved by hand.
 */
class PreferenceDigestsEndToEndTest {

    /** 23:00 UTC: inside quiet hours 22:00-07:00 UTC. */
    private static final Instant NIGHT = Instant.parse("2026-12-07T23:00:00Z");

    private static EmbeddedSqs sqs;
    private static EmbeddedDynamoDb dynamoDb;
    private static DynamoDbClient dynamo;
    private static final AtomicInteger TABLES = new AtomicInteger();
    private final PreferencesCodec codec = new PreferencesCodec();
    private PreferencesStore store;

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
        String table = "digests-" + TABLES.incrementAndGet();
        StatusTable.createIfMissing(dynamo, table);
        store = new DynamoPreferencesStore(dynamo, table);
    }

    private void prefer(String json) throws Exception {
        store.save(((PreferencesCodec.Valid) codec.read("alice", codec.parse(json), Set.of("email", "slack")))
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

    private static void capture(Harness h, String... caseIds) throws Exception {
        for (String id : caseIds) {
            Fixtures.Case c = Fixtures.caseNamed(id);
            assertThat(h.shim.run(c.args(), c.envEntries()).exitCode()).isZero();
        }
    }

    /** Dates the records in new/ as captured at {@code at} (the spool's capture time is the file's mtime). */
    private static void capturedAt(Harness h, Instant at) throws Exception {
        try (var files = Files.list(h.shim.spool().resolve("new"))) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(at));
            }
        }
    }

    private static long inSpool(Harness h) throws Exception {
        try (var files = Files.list(h.shim.spool().resolve("new"))) {
            return files.count();
        }
    }

    @Test
    void quietHoursHoldThreeEventsForOneDigestWhileFailBreaksThrough() throws Exception {
        prefer("""
                {"receivers": {"chat": "slack:C0123"},
                 "quietHours": {"from": "22:00", "to": "07:00", "timeZone": "UTC", "breakThrough": ["FAIL"]}}""");
        try (Harness h = harness()) {
            capture(h, "begin-simple", "end-completed", "requeue-node-fail", "fail-exit1");
            capturedAt(h, NIGHT);
            MutableClock clock = new MutableClock(NIGHT);

            try (Forwarder forwarder = h.forwarder(clock, store)) {
                PassResult night = forwarder.pass(false);

                assertThat(night.held()).isEqualTo(3);
                List<Envelope> atOnce = h.drain();
                assertThat(atOnce)
                        .singleElement()
                        .satisfies(e -> assertThat(e.content().title()).contains("4242004", "failed"));
                assertThat(inSpool(h)).as("held records stay in the spool").isEqualTo(3);

                clock.advance(Duration.ofHours(8));
                PassResult morning = forwarder.pass(false);

                assertThat(morning.held()).isZero();
                List<Envelope> digest = h.drain();
                assertThat(digest).singleElement().satisfies(e -> {
                    assertThat(e.target()).isEqualTo("C0123");
                    assertThat(e.content().title()).contains("3 Slurm job notifications for alice");
                    assertThat(e.content().text()).contains("quiet hours (22:00-07:00 UTC)", "FAIL notifications");
                });
                assertThat(inSpool(h)).isZero();
            }
        }
    }

    @Test
    void nothingHeldIsLostWhenTheForwarderRestartsOrAFlushRunsInQuietHours() throws Exception {
        prefer("""
                {"receivers": {"chat": "slack:C0123"},
                 "quietHours": {"from": "22:00", "to": "07:00", "timeZone": "UTC"}}""");
        try (Harness h = harness()) {
            capture(h, "begin-simple", "end-completed");
            capturedAt(h, NIGHT);
            MutableClock clock = new MutableClock(NIGHT);
            try (Forwarder first = h.forwarder(clock, store)) {
                assertThat(first.pass(false).held()).isEqualTo(2);
            }
            try (Forwarder flush = h.forwarder(clock, store)) {
                PassResult flushed = flush.pass(true);
                assertThat(flushed.delivered())
                        .as("a flush in quiet hours sends nothing held")
                        .isZero();
                assertThat(flushed.failed()).isZero();
            }
            assertThat(h.drain()).isEmpty();
            assertThat(inSpool(h)).isEqualTo(2);

            try (Forwarder restarted = h.forwarder(clock, store)) {
                assertThat(restarted.pass(false).held()).isEqualTo(2);
                clock.advance(Duration.ofHours(8));
                restarted.pass(false);
            }

            assertThat(h.drain())
                    .singleElement()
                    .satisfies(e -> assertThat(e.content().title()).contains("2 Slurm job notifications for alice"));
            assertThat(inSpool(h)).isZero();
        }
    }

    @Test
    void anHourlyDigestFoldsThatKindUntilTheNextFullHourAndOtherKindsGoAtOnce() throws Exception {
        prefer("""
                {"receivers": {"chat": "slack:C0123"},
                 "events": {"END": {"digest": "hourly"}, "REQUEUE": {"digest": "hourly"}}}""");
        try (Harness h = harness()) {
            capture(h, "begin-simple", "end-completed", "requeue-node-fail");
            capturedAt(h, Instant.parse("2026-12-07T10:20:00Z"));
            MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:20:00Z"));
            try (Forwarder forwarder = h.forwarder(clock, store)) {
                assertThat(forwarder.pass(false).held()).isEqualTo(2);
                assertThat(h.drain())
                        .singleElement()
                        .satisfies(e -> assertThat(e.content().title()).contains("4242001", "began"));

                clock.advance(Duration.ofMinutes(39));
                forwarder.pass(false);
                assertThat(h.drain()).as("not before 11:00").isEmpty();

                clock.advance(Duration.ofMinutes(1));
                forwarder.pass(false);
                assertThat(h.drain())
                        .singleElement()
                        .satisfies(e -> assertThat(e.content().text())
                                .contains("2 Slurm job notifications", "as an hourly digest"));
            }
        }
    }

    @Test
    void aCronFlushAfterQuietHoursSendsWhatCameInThemAsOneDigestNotOneByOne() throws Exception {
        prefer("""
                {"receivers": {"chat": "slack:C0123"},
                 "quietHours": {"from": "22:00", "to": "07:00", "timeZone": "UTC"}}""");
        try (Harness h = harness()) {
            capture(h, "begin-simple", "end-completed", "requeue-node-fail");
            capturedAt(h, NIGHT);
            // No pass ran in the night (cron runs the flush in the morning, or the forwarder was down).
            MutableClock morning =
                    new MutableClock(NIGHT.plus(Duration.ofHours(8).plusMinutes(30)));

            try (Forwarder flush = h.forwarder(morning, store)) {
                PassResult flushed = flush.pass(true);

                assertThat(flushed.delivered()).isEqualTo(3);
                assertThat(flushed.held()).isZero();
            }
            assertThat(h.drain()).singleElement().satisfies(e -> {
                assertThat(e.target())
                        .as("held notifications keep their receivers")
                        .isEqualTo("C0123");
                assertThat(e.content().title()).contains("3 Slurm job notifications for alice");
                assertThat(e.content().text()).contains("quiet hours (22:00-07:00 UTC)");
            });
            assertThat(inSpool(h)).isZero();
        }
    }

    @Test
    void aCronFlushAfterTheHourSendsOneDigestPerKindOfHoldAndTheRestAtOnce() throws Exception {
        prefer("""
                {"receivers": {"chat": "slack:C0123"},
                 "events": {"END": {"digest": "hourly"}, "REQUEUE": {"digest": "hourly"}}}""");
        try (Harness h = harness()) {
            capture(h, "begin-simple", "end-completed", "requeue-node-fail");
            capturedAt(h, Instant.parse("2026-12-07T10:20:00Z"));

            try (Forwarder flush = h.forwarder(new MutableClock(Instant.parse("2026-12-07T11:05:00Z")), store)) {
                assertThat(flush.pass(true).delivered()).isEqualTo(3);
            }
            List<Envelope> sent = h.drain();
            assertThat(sent).hasSize(2);
            assertThat(sent)
                    .filteredOn(e -> e.content().title().contains("began"))
                    .hasSize(1);
            assertThat(sent)
                    .filteredOn(e -> e.content().text().contains("as an hourly digest"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.content().text()).contains("2 Slurm job notifications"));
        }
    }

    @Test
    void eventsTheUserWantsNothingOfAreCountedAsMuted() throws Exception {
        prefer("""
                {"receivers": {"chat": "slack:C0123"}, "events": {"BEGIN": {"receivers": []}}}""");
        try (Harness h = harness()) {
            capture(h, "begin-simple", "end-completed");

            try (Forwarder flush = h.forwarder(new MutableClock(Instant.now()), store)) {
                PassResult r = flush.pass(true);

                assertThat(r.muted()).isEqualTo(1);
                assertThat(r.delivered()).isEqualTo(1);
            }
            assertThat(h.drain())
                    .singleElement()
                    .satisfies(e -> assertThat(e.content().title()).contains("ended"));
            assertThat(inSpool(h)).isZero();
        }
    }
}
