package io.herald.core.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.embedded.EmbeddedDynamoDb;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The status store against a real DynamoDB engine (DynamoDB Local, in-process). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoStatusStoreTest {

    /**
     * The real present, not a fixed date: DynamoDB Local's TTL sweeper deletes items whose expiry lies in the real
     * past, so items written with a past clock could vanish mid-test.
     */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static final Duration TTL = Duration.ofDays(7);

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private String table;
    private DynamoStatusStore store;

    @BeforeAll
    void start() {
        embedded = EmbeddedDynamoDb.start(0);
        dynamo = DynamoDbClients.create(DynamoTesting.statusConfig(embedded.endpoint(), "unused"));
        table = DynamoTesting.uniqueTable("status");
        StatusTable.createIfMissing(dynamo, table);
    }

    @AfterAll
    void stop() {
        dynamo.close();
        embedded.close();
    }

    @BeforeEach
    void freshStore() {
        store = new DynamoStatusStore(dynamo, table, TTL, Clock.fixed(T0, ZoneOffset.UTC));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void anUnknownMessageHasNoStatus() {
        assertThat(store.find(id())).isEmpty();
    }

    @Test
    void everyStateReadsBackWithItsDetails() {
        for (DeliveryState state : new DeliveryState[] {
            new DeliveryState.Queued(),
            new DeliveryState.Sending("outbox"),
            new DeliveryState.Delivered("ses", "0102-abc"),
            new DeliveryState.Retrying(3, "HTTP 503 from SendGrid"),
            new DeliveryState.Rejected("550 no such mailbox"),
            new DeliveryState.DeadLettered("5 receives without success")
        }) {
            String id = id();
            store.record(new StatusUpdate(id, state, T0));

            assertThat(store.find(id)).as(state.name()).contains(new StatusUpdate(id, state, T0));
        }
    }

    @Test
    void theOwnerWrittenWithTheFirstStateSurvivesThePipelinesUpdatesAndARedrive() {
        String batched = id();
        String single = id();
        store.recordNew(java.util.List.of(new StatusUpdate(batched, new DeliveryState.Queued(), T0, "alpha")));
        store.record(new StatusUpdate(single, new DeliveryState.Queued(), T0, "beta"));

        store.record(new StatusUpdate(batched, new DeliveryState.Sending("ses"), T0.plusSeconds(1)));
        store.record(new StatusUpdate(batched, new DeliveryState.DeadLettered("gave up"), T0.plusSeconds(2)));
        store.reopen(java.util.List.of(new StatusUpdate(batched, new DeliveryState.Queued(), T0.plusSeconds(3))));
        store.record(new StatusUpdate(single, new DeliveryState.Delivered("ses", "m-1"), T0.plusSeconds(1)));

        assertThat(store.find(batched)).map(StatusUpdate::owner).contains("alpha");
        assertThat(store.find(batched)).map(StatusUpdate::state).contains(new DeliveryState.Queued());
        assertThat(store.find(single)).map(StatusUpdate::owner).contains("beta");
    }

    @Test
    void theCallbackUrlIsKeptWhicheverWriteBroughtItAndSurvivesUpdatesWithoutOne() {
        String batched = id();
        String updated = id();
        String url = "https://hooks.example.org/h?token=t";
        store.recordNew(java.util.List.of(new StatusUpdate(batched, new DeliveryState.Queued(), T0, "alpha", url)));
        store.recordAll(java.util.List.of(
                new StatusUpdate(updated, new DeliveryState.Sending("ses"), T0, null, url),
                new StatusUpdate(batched, new DeliveryState.Sending("ses"), T0.plusSeconds(1))));
        store.record(new StatusUpdate(updated, new DeliveryState.Delivered("ses", "m-1"), T0.plusSeconds(1)));

        assertThat(store.find(batched)).map(StatusUpdate::callbackUrl).contains(url);
        assertThat(store.find(updated)).map(StatusUpdate::callbackUrl).contains(url);
        assertThat(store.history(updated)).extracting(StatusUpdate::callbackUrl).containsOnly(url);
        assertThat(store.find(batched)).map(StatusUpdate::owner).contains("alpha");
    }

    @Test
    void aCallbackGivenUpIsNotedOnTheMessageOnly() {
        String known = id();
        store.record(new StatusUpdate(known, new DeliveryState.Queued(), T0));

        store.recordCallbackGivenUp(known, "the 'queued' callback was given up after 7 attempts: HTTP 500");
        store.recordCallbackGivenUp(id(), "of a message with no status: not noted");

        assertThat(store.callbackGivenUp(known))
                .contains("the 'queued' callback was given up after 7 attempts: HTTP 500");
        assertThat(store.find(known)).map(StatusUpdate::state).contains(new DeliveryState.Queued());
    }

    @Test
    void aNewerStateReplacesAnOlderOneAndDropsItsDetails() {
        String id = id();
        store.record(new StatusUpdate(id, new DeliveryState.Retrying(1, "timeout"), T0));
        store.record(new StatusUpdate(id, new DeliveryState.Sending("ses"), T0.plusSeconds(1)));

        assertThat(store.find(id)).contains(new StatusUpdate(id, new DeliveryState.Sending("ses"), T0.plusSeconds(1)));
    }

    @Test
    void theHistoryHoldsEveryAcceptedStateInOrderWithItsDetailsAndNothingThatLost() {
        String id = id();
        store.recordNew(List.of(new StatusUpdate(id, new DeliveryState.Queued(), T0)));
        store.record(new StatusUpdate(id, new DeliveryState.Sending("sendgrid"), T0.plusSeconds(1)));
        store.record(new StatusUpdate(id, new DeliveryState.Retrying(1, "HTTP 503 from SendGrid"), T0.plusSeconds(2)));
        store.record(new StatusUpdate(id, new DeliveryState.Delivered("ses", "0102-abc"), T0.plusSeconds(4)));
        // Late and after a final state: not recorded, so not in the history either.
        store.record(new StatusUpdate(id, new DeliveryState.Retrying(2, "late"), T0.plusSeconds(9)));

        assertThat(store.history(id))
                .containsExactly(
                        new StatusUpdate(id, new DeliveryState.Queued(), T0),
                        new StatusUpdate(id, new DeliveryState.Sending("sendgrid"), T0.plusSeconds(1)),
                        new StatusUpdate(
                                id, new DeliveryState.Retrying(1, "HTTP 503 from SendGrid"), T0.plusSeconds(2)),
                        new StatusUpdate(id, new DeliveryState.Delivered("ses", "0102-abc"), T0.plusSeconds(4)));
        assertThat(store.history(id())).isEmpty();
    }

    @Test
    void anOlderStateArrivingLateIsIgnored() {
        String id = id();
        store.record(new StatusUpdate(id, new DeliveryState.Retrying(2, "503"), T0.plusSeconds(5)));
        store.record(new StatusUpdate(id, new DeliveryState.Sending("ses"), T0.plusSeconds(1)));

        assertThat(store.find(id)).map(StatusUpdate::state).contains(new DeliveryState.Retrying(2, "503"));
    }

    @Test
    void aFinalStateIsNeverReplacedEvenByANewerOne() {
        String id = id();
        store.record(new StatusUpdate(id, new DeliveryState.Delivered("ses", "m-1"), T0));
        store.record(new StatusUpdate(id, new DeliveryState.Retrying(1, "late duplicate"), T0.plusSeconds(10)));
        store.record(new StatusUpdate(id, new DeliveryState.DeadLettered("late"), T0.plusSeconds(20)));

        assertThat(store.find(id)).map(StatusUpdate::state).contains(new DeliveryState.Delivered("ses", "m-1"));
    }

    @Test
    void aReopenedMessageStartsOverFromAFinalStateAndRecordsItsNewAttempts() {
        String id = id();
        store.record(new StatusUpdate(id, new DeliveryState.DeadLettered("gave up after 5 attempts: 503"), T0));

        store.reopen(java.util.List.of(new StatusUpdate(id, new DeliveryState.Queued(), T0.plusSeconds(60))));
        assertThat(store.find(id)).map(StatusUpdate::state).contains(new DeliveryState.Queued());
        store.record(new StatusUpdate(id, new DeliveryState.Delivered("ses", "m-2"), T0.plusSeconds(61)));

        assertThat(store.find(id)).map(StatusUpdate::state).contains(new DeliveryState.Delivered("ses", "m-2"));
    }

    @Test
    void queuedNeverReplacesAStateThePipelineRecordedFirst() {
        String id = id();
        store.record(new StatusUpdate(id, new DeliveryState.Sending("outbox"), T0));
        store.record(new StatusUpdate(id, new DeliveryState.Queued(), T0.plusMillis(3)));

        assertThat(store.find(id)).map(StatusUpdate::state).contains(new DeliveryState.Sending("outbox"));
    }

    @Test
    void newMessagesAreRecordedTogetherAndReadBackAsQueued() {
        java.util.List<StatusUpdate> updates = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            updates.add(new StatusUpdate(id(), new DeliveryState.Queued(), T0));
        }

        store.recordNew(updates);

        for (StatusUpdate update : updates) {
            assertThat(store.find(update.messageId())).contains(update);
        }
    }

    @Test
    void aNewMessageRecordedQueuedStillMovesOnWithThePipeline() {
        String id = id();
        store.recordNew(java.util.List.of(new StatusUpdate(id, new DeliveryState.Queued(), T0)));
        store.record(new StatusUpdate(id, new DeliveryState.Delivered("outbox", null), T0.plusSeconds(1)));

        assertThat(store.find(id)).map(StatusUpdate::state).contains(new DeliveryState.Delivered("outbox", null));
    }

    @Test
    void itemsCarryATtlAttributeTtlAfterTheirLastChange() {
        String id = id();
        store.record(new StatusUpdate(id, new DeliveryState.Queued(), T0));
        store.record(new StatusUpdate(id, new DeliveryState.Sending("ses"), T0.plusSeconds(60)));

        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).key(Map.of(StatusTable.KEY, AttributeValue.fromS("msg#" + id))))
                .item();
        assertThat(Long.parseLong(item.get(StatusTable.EXPIRES_AT).n()))
                .isEqualTo(T0.plusSeconds(60).plus(TTL).getEpochSecond());
        assertThat(dynamo.describeTimeToLive(b -> b.tableName(table))
                        .timeToLiveDescription()
                        .attributeName())
                .isEqualTo(StatusTable.EXPIRES_AT);
    }

    @Test
    void anExpiredItemTheSweeperHasNotDeletedYetReadsAsGone() {
        String id = id();
        store.record(new StatusUpdate(id, new DeliveryState.Queued(), T0));
        DynamoStatusStore eightDaysLater =
                new DynamoStatusStore(dynamo, table, TTL, Clock.fixed(T0.plus(Duration.ofDays(8)), ZoneOffset.UTC));

        assertThat(eightDaysLater.find(id)).isEmpty();
    }

    @Test
    void anUnreachableStoreFailsWithAStatusStoreException() {
        DynamoDbClient nowhere = DynamoDbClients.create(
                DynamoTesting.statusConfig(java.net.URI.create("http://127.0.0.1:" + closedPort()), table));
        DynamoStatusStore down = new DynamoStatusStore(nowhere, table, TTL, Clock.systemUTC());

        assertThatThrownBy(() -> down.record(new StatusUpdate(id(), new DeliveryState.Queued(), T0)))
                .isInstanceOf(StatusStoreException.class);
        assertThatThrownBy(() -> down.find(id())).isInstanceOf(StatusStoreException.class);
        nowhere.close();
    }

    @Test
    void manyUpdatesAtOnceKeepEveryRuleOfOneAtATime() {
        String delivered = id();
        String newer = id();
        String missing = id();
        String picked = id();
        String twoSteps = id();
        String owned = id();
        store.record(new StatusUpdate(delivered, new DeliveryState.Delivered("ses", "m-1"), T0));
        store.record(new StatusUpdate(newer, new DeliveryState.Retrying(2, "503"), T0.plusSeconds(5)));
        store.record(new StatusUpdate(picked, new DeliveryState.Sending("ses"), T0));
        store.recordNew(List.of(new StatusUpdate(owned, new DeliveryState.Queued(), T0, "alpha")));

        store.recordAll(List.of(
                new StatusUpdate(delivered, new DeliveryState.Retrying(1, "late duplicate"), T0.plusSeconds(9)),
                new StatusUpdate(newer, new DeliveryState.Sending("ses"), T0.plusSeconds(1)),
                new StatusUpdate(missing, new DeliveryState.Queued(), T0, "beta"),
                new StatusUpdate(picked, new DeliveryState.Queued(), T0.plusMillis(3)),
                new StatusUpdate(twoSteps, new DeliveryState.Delivered("ses", "m-2"), T0.plusSeconds(2)),
                new StatusUpdate(twoSteps, new DeliveryState.Sending("ses"), T0.plusSeconds(1)),
                new StatusUpdate(owned, new DeliveryState.Delivered("sendgrid", null), T0.plusSeconds(1))));

        assertThat(store.find(delivered)).map(StatusUpdate::state).contains(new DeliveryState.Delivered("ses", "m-1"));
        assertThat(store.find(newer)).map(StatusUpdate::state).contains(new DeliveryState.Retrying(2, "503"));
        assertThat(store.find(missing)).contains(new StatusUpdate(missing, new DeliveryState.Queued(), T0, "beta"));
        assertThat(store.find(picked)).map(StatusUpdate::state).contains(new DeliveryState.Sending("ses"));
        assertThat(store.history(twoSteps))
                .containsExactly(
                        new StatusUpdate(twoSteps, new DeliveryState.Sending("ses"), T0.plusSeconds(1)),
                        new StatusUpdate(twoSteps, new DeliveryState.Delivered("ses", "m-2"), T0.plusSeconds(2)));
        assertThat(store.find(owned))
                .contains(new StatusUpdate(
                        owned, new DeliveryState.Delivered("sendgrid", null), T0.plusSeconds(1), "alpha"));
        assertThat(store.history(owned)).extracting(u -> u.state().name()).containsExactly("queued", "delivered");
    }

    @Test
    void aFinalStateFoldedWithANewerOneOfTheSameMessageWins() {
        String id = id();

        store.recordAll(List.of(
                new StatusUpdate(id, new DeliveryState.Delivered("ses", "m-1"), T0),
                new StatusUpdate(id, new DeliveryState.Sending("ses"), T0.plusMillis(1))));

        assertThat(store.find(id)).map(StatusUpdate::state).contains(new DeliveryState.Delivered("ses", "m-1"));
    }

    @Test
    void manyUpdatesGoOutAHundredPerRequestAndEveryOneLands() {
        AtomicInteger requests = new AtomicInteger();
        DynamoDbClient counted = DynamoDbClients.create(
                DynamoTesting.statusConfig(embedded.endpoint(), table), List.of(countingInterceptor(requests)));
        DynamoStatusStore batched = new DynamoStatusStore(counted, table, TTL, Clock.fixed(T0, ZoneOffset.UTC));
        List<StatusUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            updates.add(new StatusUpdate(id(), new DeliveryState.Delivered("ses", "m-" + i), T0));
        }
        // One of them stale: it cancels its transaction, which is sent again without it.
        String stale = updates.get(7).messageId();
        store.record(new StatusUpdate(stale, new DeliveryState.Rejected("550"), T0));

        batched.recordAll(updates);

        assertThat(requests).hasValue(3 + 1);
        for (StatusUpdate update : updates) {
            assertThat(store.find(update.messageId()))
                    .as(update.messageId())
                    .contains(
                            update.messageId().equals(stale)
                                    ? new StatusUpdate(stale, new DeliveryState.Rejected("550"), T0)
                                    : update);
        }
        counted.close();
    }

    @Test
    void dynamoDbLocalTakesAHundredActionsInATransactionAndRefusesMore() {
        assertThat(transactionOf(DynamoStatusStore.MAX_TRANSACTION)).isNull();
        assertThat(transactionOf(DynamoStatusStore.MAX_TRANSACTION + 1)).contains("100");
    }

    /** @return DynamoDB's refusal of one transaction of {@code size} puts, or null when it took it */
    private String transactionOf(int size) {
        List<TransactWriteItem> actions = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            actions.add(TransactWriteItem.builder()
                    .put(p -> p.tableName(table).item(Map.of(StatusTable.KEY, AttributeValue.fromS("limit#" + id()))))
                    .build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(actions));
            return null;
        } catch (DynamoDbException e) {
            return e.getMessage();
        }
    }

    private static ExecutionInterceptor countingInterceptor(AtomicInteger requests) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                requests.incrementAndGet();
            }
        };
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
