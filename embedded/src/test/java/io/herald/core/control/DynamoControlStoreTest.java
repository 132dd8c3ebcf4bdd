package io.herald.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Pause switches, shared health and shared deferrals against a real DynamoDB engine (DynamoDB Local, in-process). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoControlStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-23T01:00:00Z");
    private static final Duration STALE_AFTER = Duration.ofSeconds(30);

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private String table;
    private ControlStore store;

    @BeforeAll
    void start() {
        embedded = EmbeddedDynamoDb.start(0);
        dynamo = DynamoDbClients.create(DynamoTesting.statusConfig(embedded.endpoint(), "unused"));
    }

    @AfterAll
    void stop() {
        dynamo.close();
        embedded.close();
    }

    @BeforeEach
    void freshTable() {
        table = DynamoTesting.uniqueTable("control");
        StatusTable.createIfMissing(dynamo, table);
        store = storeAt(T0);
    }

    private ControlStore storeAt(Instant now) {
        return new DynamoControlStore(dynamo, table, STALE_AFTER, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void nothingIsPausedInANewTable() {
        assertThat(store.pauses()).isEmpty();
        assertThat(store.health()).isEmpty();
        assertThat(store.queueAges()).isEmpty();
        assertThat(store.deferrals()).isEmpty();
    }

    @Test
    void aPauseReadsBackWithWhenAndWhoUntilResumed() {
        store.pause(PauseScope.channel("email"), "cli");
        storeAt(T0.plusSeconds(5)).pause(PauseScope.provider("sendgrid"), "ops-key");

        assertThat(store.pauses())
                .containsExactly(
                        new Pause(PauseScope.channel("email"), T0, "cli", ""),
                        new Pause(PauseScope.provider("sendgrid"), T0.plusSeconds(5), "ops-key", ""));

        store.resume(PauseScope.channel("email"));

        assertThat(store.pauses())
                .containsExactly(new Pause(PauseScope.provider("sendgrid"), T0.plusSeconds(5), "ops-key", ""));
    }

    @Test
    void aPauseKeepsItsReasonAndTheFirstReasonStays() {
        store.pause(PauseScope.provider("ses"), "alice", "  SES sandbox limit, ticket 4711 ");
        storeAt(T0.plusSeconds(60)).pause(PauseScope.provider("ses"), "bob", "something else");
        store.pause(PauseScope.channel("slack"), "cli", "x".repeat(Pause.MAX_REASON_CHARS + 50));

        assertThat(store.pauses())
                .containsExactlyInAnyOrder(
                        new Pause(PauseScope.provider("ses"), T0, "alice", "SES sandbox limit, ticket 4711"),
                        new Pause(PauseScope.channel("slack"), T0, "cli", "x".repeat(Pause.MAX_REASON_CHARS) + "…"));
    }

    @Test
    void aChannelAndAProviderOfTheSameNameArePausedApart() {
        store.pause(PauseScope.channel("matrix"), "cli");
        store.pause(PauseScope.provider("matrix"), "cli");
        store.resume(PauseScope.provider("matrix"));

        assertThat(store.pauses()).extracting(Pause::scope).containsExactly(PauseScope.channel("matrix"));
    }

    @Test
    void pausingAgainKeepsTheFirstPause() {
        store.pause(PauseScope.provider("ses"), "alice");
        storeAt(T0.plusSeconds(60)).pause(PauseScope.provider("ses"), "bob");

        assertThat(store.pauses()).containsExactly(new Pause(PauseScope.provider("ses"), T0, "alice", ""));
    }

    @Test
    void resumingWhatIsNotPausedDoesNothing() {
        store.resume(PauseScope.channel("slack"));
        store.pause(PauseScope.channel("email"), "cli");
        store.resume(PauseScope.channel("slack"));

        assertThat(store.pauses()).extracting(Pause::scope).containsExactly(PauseScope.channel("email"));
    }

    @Test
    void concurrentPausesFromManyWritersAreAllKept() throws Exception {
        int writers = 16;
        concurrently(writers, i -> store.pause(PauseScope.provider("p" + i), "writer"));

        assertThat(store.pauses()).hasSize(writers);
    }

    @Test
    void eachInstanceKeepsItsOwnLatestReportPerProvider() {
        store.publishHealth(report("a", "ses", WorkerState.HEALTHY, 10, T0));
        store.publishHealth(report("b", "ses", WorkerState.UNHEALTHY, 3, T0));
        store.publishHealth(report("a", "ses", WorkerState.PROBING, 12, T0.plusSeconds(1)));
        store.publishHealth(report("a", "sendgrid", WorkerState.HEALTHY, 7, T0));

        assertThat(store.health())
                .containsExactly(
                        report("a", "sendgrid", WorkerState.HEALTHY, 7, T0),
                        report("a", "ses", WorkerState.PROBING, 12, T0.plusSeconds(1)),
                        report("b", "ses", WorkerState.UNHEALTHY, 3, T0));
    }

    @Test
    void aReportKeepsTheLastErrorAndWhenTheProviderTurnedUnhealthy() {
        ProviderHealth down = new ProviderHealth(
                "a",
                "email",
                "ses",
                WorkerState.UNHEALTHY,
                1,
                3,
                0,
                T0.plusSeconds(5),
                "ProviderDown: SendingPaused",
                T0.plusSeconds(2));
        ProviderHealth longError =
                new ProviderHealth("a", "email", "sendgrid", WorkerState.UNHEALTHY, 0, 3, 0, T0, "x".repeat(2_000), T0);
        store.publishHealth(down);
        store.publishHealth(longError);

        assertThat(store.health()).first().isEqualTo(longError.withLastError("x".repeat(500) + "…"));
        assertThat(store.health()).last().isEqualTo(down);
    }

    @Test
    void anOlderReportArrivingLateDoesNotReplaceANewerOne() {
        store.publishHealth(report("a", "ses", WorkerState.UNHEALTHY, 5, T0.plusSeconds(2)));
        store.publishHealth(report("a", "ses", WorkerState.HEALTHY, 4, T0.plusSeconds(1)));

        assertThat(store.health()).containsExactly(report("a", "ses", WorkerState.UNHEALTHY, 5, T0.plusSeconds(2)));
    }

    @Test
    void concurrentReportsFromManyInstancesAreAllKept() throws Exception {
        int instances = 16;
        concurrently(instances, i -> store.publishHealth(report("i" + i, "ses", WorkerState.HEALTHY, 1, T0)));

        assertThat(store.health()).hasSize(instances);
    }

    @Test
    void reportsOfAnInstanceThatStoppedReportingAgeOut() {
        store.publishHealth(report("gone", "ses", WorkerState.UNHEALTHY, 1, T0));
        store.publishHealth(report("alive", "ses", WorkerState.HEALTHY, 9, T0.plus(STALE_AFTER)));

        assertThat(storeAt(T0.plus(STALE_AFTER)).health())
                .extracting(ProviderHealth::instance)
                .containsExactlyInAnyOrder("gone", "alive");
        assertThat(storeAt(T0.plus(STALE_AFTER).plusSeconds(1)).health())
                .extracting(ProviderHealth::instance)
                .containsExactly("alive");
    }

    @Test
    void longDeadReportsAreDeletedFromTheItem() {
        store.publishHealth(report("gone", "ses", WorkerState.UNHEALTHY, 1, T0));
        Instant muchLater = T0.plus(STALE_AFTER.multipliedBy(DynamoControlStore.FORGET_AFTER))
                .plusSeconds(1);
        storeAt(muchLater).publishHealth(report("alive", "ses", WorkerState.HEALTHY, 9, muchLater));

        storeAt(muchLater).health();

        assertThat(reportEntries(DynamoControlStore.HEALTH_KEY)).containsExactly("alive/ses");
    }

    @Test
    void eachInstanceKeepsItsOwnLatestQueueAgeReportPerQueue() {
        store.publishQueueAge(new QueueAge("a", "herald-1", T0.minusSeconds(90), T0));
        store.publishQueueAge(new QueueAge("b", "herald-1", null, T0));
        store.publishQueueAge(new QueueAge("a", "herald-1", T0.minusSeconds(5), T0.plusSeconds(10)));
        store.publishQueueAge(new QueueAge("a", "herald-2", T0.minusSeconds(1), T0));

        assertThat(storeAt(T0.plusSeconds(10)).queueAges())
                .containsExactly(
                        new QueueAge("a", "herald-1", T0.minusSeconds(5), T0.plusSeconds(10)),
                        new QueueAge("b", "herald-1", null, T0),
                        new QueueAge("a", "herald-2", T0.minusSeconds(1), T0));
    }

    @Test
    void anOlderQueueAgeReportArrivingLateDoesNotReplaceANewerOne() {
        store.publishQueueAge(new QueueAge("a", "herald-1", null, T0.plusSeconds(2)));
        store.publishQueueAge(new QueueAge("a", "herald-1", T0.minusSeconds(60), T0.plusSeconds(1)));

        assertThat(store.queueAges()).containsExactly(new QueueAge("a", "herald-1", null, T0.plusSeconds(2)));
    }

    @Test
    void queueAgeReportsOfAnInstanceThatStoppedReportingAgeOutAndAreDeletedLater() {
        store.publishQueueAge(new QueueAge("gone", "herald-1", T0.minusSeconds(600), T0));
        store.publishQueueAge(new QueueAge("alive", "herald-1", T0, T0.plus(STALE_AFTER)));

        assertThat(storeAt(T0.plus(STALE_AFTER).plusSeconds(1)).queueAges())
                .extracting(QueueAge::instance)
                .containsExactly("alive");

        Instant muchLater = T0.plus(STALE_AFTER.multipliedBy(DynamoControlStore.FORGET_AFTER))
                .plusSeconds(1);
        storeAt(muchLater).publishQueueAge(new QueueAge("alive", "herald-1", null, muchLater));
        storeAt(muchLater).queueAges();
        assertThat(reportEntries(DynamoControlStore.QUEUE_AGES_KEY)).containsExactly("alive/herald-1");
    }

    @Test
    void concurrentQueueAgeReportsFromManyInstancesAreAllKept() throws Exception {
        int instances = 16;
        concurrently(instances, i -> store.publishQueueAge(new QueueAge("i" + i, "herald-1", T0, T0)));

        assertThat(store.queueAges()).hasSize(instances);
    }

    @Test
    void eachDomainKeepsItsLatestDeferralWhoeverHeardIt() {
        store.publishDeferral(new DomainDeferral("gmail.com", "api@h:1", T0));
        store.publishDeferral(new DomainDeferral("gmail.com", "h:2", T0.plusSeconds(3)));
        store.publishDeferral(new DomainDeferral("gmail.com", "api@h:1", T0.plusSeconds(1)));
        store.publishDeferral(new DomainDeferral("outlook.com", "h:2", T0.plusSeconds(2)));

        assertThat(storeAt(T0.plusSeconds(3)).deferrals())
                .containsExactly(
                        new DomainDeferral("outlook.com", "h:2", T0.plusSeconds(2)),
                        new DomainDeferral("gmail.com", "h:2", T0.plusSeconds(3)));
    }

    @Test
    void deferralsAgeOutLikeReportsAndAreDeletedLater() {
        store.publishDeferral(new DomainDeferral("old.example", "h:1", T0));
        store.publishDeferral(new DomainDeferral("new.example", "h:1", T0.plus(STALE_AFTER)));

        assertThat(storeAt(T0.plus(STALE_AFTER).plusSeconds(1)).deferrals())
                .extracting(DomainDeferral::domain)
                .containsExactly("new.example");

        Instant muchLater = T0.plus(STALE_AFTER.multipliedBy(DynamoControlStore.FORGET_AFTER))
                .plusSeconds(1);
        storeAt(muchLater).publishDeferral(new DomainDeferral("new.example", "h:1", muchLater));
        storeAt(muchLater).deferrals();
        assertThat(reportEntries(DynamoControlStore.DEFERRALS_KEY)).containsExactly("new.example");
    }

    @Test
    void controlItemsNeverExpire() {
        store.pause(PauseScope.channel("email"), "cli");
        store.publishHealth(report("a", "ses", WorkerState.HEALTHY, 1, T0));
        store.publishQueueAge(new QueueAge("a", "herald-1", T0, T0));

        for (String key : List.of(
                DynamoControlStore.PAUSES_KEY, DynamoControlStore.HEALTH_KEY, DynamoControlStore.QUEUE_AGES_KEY)) {
            Map<String, AttributeValue> item = dynamo.getItem(
                            b -> b.tableName(table).key(Map.of(StatusTable.KEY, AttributeValue.fromS(key))))
                    .item();
            assertThat(item).as(key).doesNotContainKey(StatusTable.EXPIRES_AT);
        }
    }

    @Test
    void anUnreachableStoreFailsWithAControlStoreException() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (DynamoDbClient nowhere =
                DynamoDbClients.create(DynamoTesting.statusConfig(URI.create("http://127.0.0.1:" + closed), table))) {
            ControlStore down = new DynamoControlStore(nowhere, table, STALE_AFTER, Clock.systemUTC());

            assertThatThrownBy(down::pauses).isInstanceOf(ControlStoreException.class);
            assertThatThrownBy(() -> down.pause(PauseScope.channel("email"), "cli"))
                    .isInstanceOf(ControlStoreException.class)
                    .hasMessageContaining("channel email");
            assertThatThrownBy(() -> down.publishHealth(report("a", "ses", WorkerState.HEALTHY, 0, T0)))
                    .isInstanceOf(ControlStoreException.class);
            assertThatThrownBy(() -> down.publishQueueAge(new QueueAge("a", "herald-1", T0, T0)))
                    .isInstanceOf(ControlStoreException.class)
                    .hasMessageContaining("herald-1");
            assertThatThrownBy(down::queueAges).isInstanceOf(ControlStoreException.class);
            assertThatThrownBy(() -> down.publishDeferral(new DomainDeferral("gmail.com", "a", T0)))
                    .isInstanceOf(ControlStoreException.class)
                    .hasMessageContaining("gmail.com");
            assertThatThrownBy(down::deferrals).isInstanceOf(ControlStoreException.class);
        }
    }

    /** The entries of a report item as stored, dead ones included until they are deleted. */
    private Set<String> reportEntries(String itemKey) {
        return dynamo.getItem(b -> b.tableName(table)
                        .consistentRead(true)
                        .key(Map.of(StatusTable.KEY, AttributeValue.fromS(itemKey))))
                .item()
                .get("reports")
                .m()
                .keySet();
    }

    /** Runs {@code n} writers released at the same moment, and waits for them all. */
    private static void concurrently(int n, IntConsumer writer) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int index = i;
                done.add(threads.submit(() -> {
                    go.await();
                    writer.accept(index);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    private static ProviderHealth report(
            String instance, String provider, WorkerState state, long delivered, Instant at) {
        return new ProviderHealth(instance, "email", provider, state, delivered, 1, 0, at);
    }
}
