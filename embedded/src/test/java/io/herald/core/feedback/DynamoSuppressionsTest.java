package io.herald.core.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/** The suppression list against a real DynamoDB engine (DynamoDB Local, in-process). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoSuppressionsTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    /** Requests the client made, by operation name: what a send's check costs. */
    private final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();

    private String table;
    private DynamoSuppressions list;

    @BeforeAll
    void start() {
        embedded = EmbeddedDynamoDb.start(0);
        ExecutionInterceptor counting = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.add(context.request().getClass().getSimpleName());
            }
        };
        dynamo = DynamoDbClients.create(DynamoTesting.statusConfig(embedded.endpoint(), "unused"), List.of(counting));
    }

    @AfterAll
    void stop() {
        dynamo.close();
        embedded.close();
    }

    @BeforeEach
    void freshTable() {
        table = DynamoTesting.uniqueTable("suppress");
        StatusTable.createIfMissing(dynamo, table);
        list = new DynamoSuppressions(dynamo, table);
        requests.clear();
    }

    private static Suppression entry(String address, String category, String reason, Instant at) {
        return new Suppression(address, category, reason, "ses", at);
    }

    @Test
    void anAddressNotOnTheListMayBeMailed() {
        assertThat(list.find("alice@example.org", null)).isEmpty();
        assertThat(list.find("alice@example.org", "news")).isEmpty();
        assertThat(list.remove("alice@example.org")).isFalse();
        assertThat(list.list(null, 10)).isEmpty();
    }

    @Test
    void anAllCategoriesEntryStopsEveryCategoryWhateverTheCaseOfTheAddress() {
        Suppression bounce = entry("Bob@Example.org ", Suppression.ALL_CATEGORIES, "hard bounce: 550 5.1.1", T0);
        list.add(bounce);

        assertThat(list.find("bob@example.org", null)).contains(bounce);
        assertThat(list.find("BOB@example.org", "news")).contains(bounce);
        assertThat(list.find("bob@example.org", "transactional")).contains(bounce);
        assertThat(bounce.address()).isEqualTo("bob@example.org");
    }

    @Test
    void aCategoryEntryStopsOnlyThatCategory() {
        Suppression unsubscribed = new Suppression("carol@example.org", "news", "unsubscribed", "unsubscribe", T0);
        list.add(unsubscribed);

        assertThat(list.find("carol@example.org", "news")).contains(unsubscribed);
        assertThat(list.find("carol@example.org", "slurm:hpc1")).isEmpty();
        assertThat(list.find("carol@example.org", null))
                .as("the producer's default category")
                .isEmpty();
    }

    @Test
    void aCheckIsOneGetItemAndAWholeReadIsOneBatchGetItem() {
        list.add(entry("dan@example.org", Suppression.ALL_CATEGORIES, "complaint: abuse", T0));
        list.add(new Suppression("erin@example.org", "news", "unsubscribed", "unsubscribe", T0));
        requests.clear();

        list.find("dan@example.org", "news");
        assertThat(requests).containsExactly("GetItemRequest");

        requests.clear();
        List<Optional<Suppression>> answers = list.findAll(List.of(
                new Suppressions.Lookup("dan@example.org", null),
                new Suppressions.Lookup("erin@example.org", "news"),
                new Suppressions.Lookup("erin@example.org", "slurm:hpc1"),
                new Suppressions.Lookup("frank@example.org", null),
                new Suppressions.Lookup("DAN@example.org", "news")));

        assertThat(requests).containsExactly("BatchGetItemRequest");
        assertThat(answers)
                .extracting(a -> a.map(Suppression::reason).orElse("-"))
                .containsExactly("complaint: abuse", "unsubscribed", "-", "-", "complaint: abuse");
    }

    @Test
    void aReadOfMoreThanAHundredAddressesTakesOneBatchGetItemPerHundred() {
        List<Suppressions.Lookup> lookups = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            lookups.add(new Suppressions.Lookup("user" + i + "@example.org", null));
        }
        list.add(entry("user149@example.org", Suppression.ALL_CATEGORIES, "hard bounce", T0));
        requests.clear();

        List<Optional<Suppression>> answers = list.findAll(lookups);

        assertThat(requests).containsExactly("BatchGetItemRequest", "BatchGetItemRequest");
        assertThat(answers.subList(0, 149)).allMatch(Optional::isEmpty);
        assertThat(answers.get(149)).isPresent();
    }

    @Test
    void addingTheSameCategoryAgainReplacesItsEntryAndKeepsTheOthers() {
        list.add(new Suppression("gina@example.org", "news", "unsubscribed", "unsubscribe", T0));
        list.add(entry("gina@example.org", Suppression.ALL_CATEGORIES, "soft bounces", T0.plusSeconds(1)));
        list.add(entry("gina@example.org", Suppression.ALL_CATEGORIES, "hard bounce", T0.plusSeconds(2)));

        assertThat(list.list("gina@example.org", 10))
                .extracting(Suppression::category, Suppression::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("*", "hard bounce"),
                        org.assertj.core.groups.Tuple.tuple("news", "unsubscribed"));
    }

    @Test
    void removingAnAddressRemovesEveryEntryOfItAndNothingElse() {
        list.add(new Suppression("hal@example.org", "news", "unsubscribed", "unsubscribe", T0));
        list.add(entry("hal@example.org", Suppression.ALL_CATEGORIES, "hard bounce", T0));
        list.add(entry("ida@example.org", Suppression.ALL_CATEGORIES, "hard bounce", T0));

        assertThat(list.remove("HAL@example.org")).isTrue();

        assertThat(list.find("hal@example.org", "news")).isEmpty();
        assertThat(list.list("hal@example.org", 10)).isEmpty();
        assertThat(list.remove("hal@example.org")).isFalse();
        assertThat(list.find("ida@example.org", null)).isPresent();
    }

    @Test
    void removingAnAddressForgetsItsSoftBouncesSoTheNextOneStartsANewCount() {
        SoftBounces softBounces =
                new DynamoSoftBounces(dynamo, table, java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
        java.time.Duration week = java.time.Duration.ofDays(7);
        for (int i = 1; i <= 3; i++) {
            assertThat(softBounces.note("kim@example.org", "sb-" + i, T0.minusSeconds(i), week))
                    .isEqualTo(i);
        }
        list.add(entry("kim@example.org", Suppression.ALL_CATEGORIES, "3 soft bounces", T0));

        assertThat(list.remove("kim@example.org")).isTrue();

        assertThat(softBounces.note("kim@example.org", "sb-4", T0, week)).isEqualTo(1);
    }

    @Test
    void theListIsNewestFirstUpToTheLimitAndSkipsTheTablesOtherItems() {
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(
                        StatusTable.KEY, AttributeValue.fromS("msg#0001"), "state", AttributeValue.fromS("queued"))));
        for (int i = 0; i < 5; i++) {
            list.add(entry("u" + i + "@example.org", Suppression.ALL_CATEGORIES, "bounce " + i, T0.plusSeconds(i)));
        }

        assertThat(list.list(null, 3))
                .extracting(Suppression::address)
                .containsExactly("u4@example.org", "u3@example.org", "u2@example.org");
        assertThat(list.list(null, 100)).hasSize(5);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                        .key(Map.of(StatusTable.KEY, AttributeValue.fromS("suppress#u0@example.org"))))
                .item();
        assertThat(item).as("an entry holds until removed").doesNotContainKey(StatusTable.EXPIRES_AT);
    }

    @Test
    void anUnreachableTableIsAFeedbackStoreErrorNotAnAnswer() {
        DynamoSuppressions missing = new DynamoSuppressions(dynamo, "no-such-table");
        assertThatThrownBy(() -> missing.find("a@example.org", null))
                .isInstanceOf(FeedbackStoreException.class)
                .hasMessageContaining("a@example.org");
        assertThatThrownBy(() -> missing.findAll(List.of(new Suppressions.Lookup("a@example.org", null))))
                .isInstanceOf(FeedbackStoreException.class);
        assertThatThrownBy(() -> missing.add(entry("a@example.org", "*", "x", T0)))
                .isInstanceOf(FeedbackStoreException.class);
        assertThatThrownBy(() -> missing.list(null, 10)).isInstanceOf(FeedbackStoreException.class);
    }
}
