package io.herald.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.core.idempotency.IdempotencyStore.Claim;
import io.herald.core.idempotency.IdempotencyStore.StoredResponse;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoIdempotencyStoreTest {

    private static final Duration WINDOW = Duration.ofHours(24);
    private static final Duration LEASE = Duration.ofSeconds(30);

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private String table;
    /**
     * The test's clock starts at the real present: DynamoDB Local's TTL sweeper deletes items whose expiry lies in the
     * real past, so a fixed past date made items vanish between two calls.
     */
    private final AtomicReference<Instant> now =
            new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    private DynamoIdempotencyStore store;

    @BeforeAll
    void start() {
        embedded = EmbeddedDynamoDb.start(0);
        dynamo = DynamoDbClients.create(DynamoTesting.statusConfig(embedded.endpoint(), "unused"));
        table = DynamoTesting.uniqueTable("idem");
        StatusTable.createIfMissing(dynamo, table);
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        store = new DynamoIdempotencyStore(dynamo, table, WINDOW, LEASE, clock);
    }

    @AfterAll
    void stop() {
        dynamo.close();
        embedded.close();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aNewKeyIsClaimed() {
        assertThat(store.claim("ci", key(), "fp-1")).isEqualTo(new Claim.Claimed());
    }

    @Test
    void aCompletedKeyReplaysItsAnswerToTheSameRequest() {
        String key = key();
        store.claim("ci", key, "fp-1");
        store.complete("ci", key, "fp-1", new StoredResponse(202, "{\"ok\":1}"));

        assertThat(store.claim("ci", key, "fp-1")).isEqualTo(new Claim.Replay(new StoredResponse(202, "{\"ok\":1}")));
    }

    @Test
    void theSameKeyWithAnotherRequestIsAMismatch() {
        String key = key();
        store.claim("ci", key, "fp-1");
        store.complete("ci", key, "fp-1", new StoredResponse(202, "{}"));

        assertThat(store.claim("ci", key, "fp-2")).isEqualTo(new Claim.Mismatch());
    }

    @Test
    void aClaimStillBeingProcessedIsInProgress() {
        String key = key();
        store.claim("ci", key, "fp-1");

        assertThat(store.claim("ci", key, "fp-1")).isEqualTo(new Claim.InProgress());
    }

    @Test
    void aReleasedKeyCanBeClaimedAgain() {
        String key = key();
        store.claim("ci", key, "fp-1");
        store.release("ci", key, "fp-1");

        assertThat(store.claim("ci", key, "fp-1")).isEqualTo(new Claim.Claimed());
    }

    @Test
    void keysOfDifferentScopesNeverMeet() {
        String key = key();
        store.claim("ci", key, "fp-1");
        store.complete("ci", key, "fp-1", new StoredResponse(202, "{}"));

        assertThat(store.claim("ops", key, "fp-2")).isEqualTo(new Claim.Claimed());
    }

    @Test
    void aClaimWhoseLeaseRanOutIsTakenOver() {
        String key = key();
        store.claim("ci", key, "fp-1");
        now.updateAndGet(t -> t.plus(LEASE).plusSeconds(1));

        assertThat(store.claim("ci", key, "fp-1")).isEqualTo(new Claim.Claimed());
    }

    @Test
    void aKeyPastItsWindowIsNewAgain() {
        String key = key();
        store.claim("ci", key, "fp-1");
        store.complete("ci", key, "fp-1", new StoredResponse(202, "{}"));
        now.updateAndGet(t -> t.plus(WINDOW).plusSeconds(1));

        assertThat(store.claim("ci", key, "fp-other")).isEqualTo(new Claim.Claimed());
    }

    @Test
    void ofConcurrentClaimsOfOneKeyExactlyOneWins() throws Exception {
        String key = key();
        List<Callable<Claim>> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racers.add(() -> store.claim("ci", key, "fp-1"));
        }
        List<Claim> claims = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Claim> f : pool.invokeAll(racers)) {
                claims.add(f.get());
            }
        }

        assertThat(claims).filteredOn(c -> c instanceof Claim.Claimed).hasSize(1);
        assertThat(claims).filteredOn(c -> c instanceof Claim.InProgress).hasSize(7);
    }
}
