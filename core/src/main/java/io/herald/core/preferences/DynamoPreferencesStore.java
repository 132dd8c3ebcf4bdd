package io.herald.core.preferences;

import io.herald.core.status.StatusTable;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link PreferencesStore} in the status table: one item per user under {@code pref#<user>}, the preferences as
 * {@link PreferencesCodec}'s JSON in one attribute. One document rather than an attribute per field: the API, the CLI
 * and the forwarder read exactly the shape that was validated, through one codec. The item has no {@code expiresAt}:
 * preferences hold until changed or deleted.
 */
public final class DynamoPreferencesStore implements PreferencesStore {

    static final String PREFIX = "pref#";
    static final String DOCUMENT = "preferences";

    private final DynamoDbClient dynamo;
    private final String table;
    private final PreferencesCodec codec = new PreferencesCodec();

    public DynamoPreferencesStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<UserPreferences> find(String user) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table).key(key(user)).consistentRead(true))
                    .item();
        } catch (SdkException e) {
            throw new PreferencesStoreException("the preferences of " + user + " cannot be read: " + e.getMessage(), e);
        }
        if (item == null || item.isEmpty() || !item.containsKey(DOCUMENT)) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.readSaved(user, item.get(DOCUMENT).s()));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new PreferencesStoreException(e.getMessage(), e);
        }
    }

    @Override
    public void save(UserPreferences prefs) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(
                            StatusTable.KEY,
                            AttributeValue.fromS(PREFIX + prefs.user()),
                            DOCUMENT,
                            AttributeValue.fromS(codec.writeString(prefs)))));
        } catch (SdkException e) {
            throw new PreferencesStoreException(
                    "the preferences of " + prefs.user() + " cannot be saved: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String user) {
        try {
            Map<String, AttributeValue> old = dynamo.deleteItem(
                            b -> b.tableName(table).key(key(user)).returnValues(ReturnValue.ALL_OLD))
                    .attributes();
            return old != null && !old.isEmpty();
        } catch (SdkException e) {
            throw new PreferencesStoreException(
                    "the preferences of " + user + " cannot be deleted: " + e.getMessage(), e);
        }
    }

    private static Map<String, AttributeValue> key(String user) {
        return Map.of(StatusTable.KEY, AttributeValue.fromS(PREFIX + user));
    }
}
