package io.herald.core.preferences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Users' preferences against a real DynamoDB engine (DynamoDB Local, in-process). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoPreferencesStoreTest {

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private String table;
    private PreferencesStore store;
    private final PreferencesCodec codec = new PreferencesCodec();

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
        table = DynamoTesting.uniqueTable("prefs");
        StatusTable.createIfMissing(dynamo, table);
        store = new DynamoPreferencesStore(dynamo, table);
    }

    private UserPreferences prefs(String user, String json) throws Exception {
        return ((PreferencesCodec.Valid) codec.read(user, codec.parse(json), Set.of("email", "telegram")))
                .preferences();
    }

    @Test
    void aUserWithoutPreferencesHasNone() {
        assertThat(store.find("alice")).isEmpty();
        assertThat(store.delete("alice")).isFalse();
    }

    @Test
    void savedPreferencesReadBackWholeUnderTheirOwnKey() throws Exception {
        UserPreferences alice = prefs("alice", """
                {"receivers": {"work": "mailto:alice@uni.org", "phone": "telegram:123456"},
                 "events": {"FAIL": {"receivers": ["phone"]}, "END": {"digest": "daily"}},
                 "quietHours": {"from": "22:00", "to": "07:00", "timeZone": "Europe/Berlin", "breakThrough": ["FAIL"]},
                 "mute": {"partitions": ["debug"]}}""").savedAt(Instant.parse("2026-12-07T15:00:00Z"), "ops");

        store.save(alice);
        store.save(prefs("bob", "{\"receivers\": {\"w\": \"mailto:bob@uni.org\"}}"));

        assertThat(store.find("alice")).contains(alice);
        assertThat(store.find("bob"))
                .hasValueSatisfying(b -> assertThat(b.receivers()).containsOnlyKeys("w"));
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).key(Map.of(StatusTable.KEY, AttributeValue.fromS("pref#alice"))))
                .item();
        assertThat(item)
                .as("kept under pref#<user>, without a TTL")
                .containsKey("preferences")
                .doesNotContainKey(StatusTable.EXPIRES_AT);
    }

    @Test
    void savingAgainReplacesAndDeletingRemoves() throws Exception {
        store.save(prefs("alice", "{\"receivers\": {\"w\": \"mailto:a@uni.org\"}}"));
        store.save(prefs("alice", "{\"receivers\": {\"t\": \"telegram:42\"}}"));

        assertThat(store.find("alice"))
                .hasValueSatisfying(p -> assertThat(p.receivers()).containsOnlyKeys("t"));
        assertThat(store.delete("alice")).isTrue();
        assertThat(store.find("alice")).isEmpty();
    }

    @Test
    void aDamagedEntryIsAClearStoreErrorNamingTheUser() {
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(
                        StatusTable.KEY,
                        AttributeValue.fromS("pref#carol"),
                        "preferences",
                        AttributeValue.fromS("{not json"))));

        assertThatThrownBy(() -> store.find("carol"))
                .isInstanceOf(PreferencesStoreException.class)
                .hasMessageContaining("carol")
                .hasMessageContaining("not JSON");
    }

    @Test
    void aMissingTableIsAStoreErrorNotACrash() {
        PreferencesStore nowhere = new DynamoPreferencesStore(dynamo, "no-such-table");

        assertThatThrownBy(() -> nowhere.find("alice"))
                .isInstanceOf(PreferencesStoreException.class)
                .hasMessageContaining("alice");
    }
}
