package io.herald.core.preferences;

import io.herald.core.status.StatusTable;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link LinkNonces} in the status table: one item {@code link#<nonce>} written by the first exchange with a
 * conditional put, so two exchanges racing each other cannot both win, whichever API instance they reach. The item
 * expires (TTL) a little after the link itself would.
 */
public final class DynamoLinkNonces implements LinkNonces {

    static final String PREFIX = "link#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLinkNonces(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean consume(String nonce, Instant expiresAt) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(
                            StatusTable.KEY,
                            AttributeValue.fromS(PREFIX + nonce),
                            StatusTable.EXPIRES_AT,
                            AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond() + 60))))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", StatusTable.KEY)));
            return true;
        } catch (ConditionalCheckFailedException used) {
            return false;
        } catch (SdkException e) {
            throw new PreferencesStoreException("a link cannot be checked: " + e.getMessage(), e);
        }
    }
}
