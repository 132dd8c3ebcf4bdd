package io.herald.core.feedback;

import io.herald.core.status.StatusTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link FeedbackEventIds} in the status table: one item {@code fbevent#<hash of source and id>} per event, written by
 * a conditional put so two API instances given the same event cannot both record it, and swept by the table's TTL after
 * {@code window}.
 */
public final class DynamoFeedbackEventIds implements FeedbackEventIds {

    static final String PREFIX = "fbevent#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration window;
    private final Clock clock;

    /** @param window how long an event id is remembered: longer than the provider keeps retrying */
    public DynamoFeedbackEventIds(DynamoDbClient dynamo, String table, Duration window, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.window = window;
        this.clock = clock;
    }

    @Override
    public boolean claim(String source, String eventId) {
        long now = clock.instant().getEpochSecond();
        try {
            // New, or remembered past its window (the TTL sweeper deletes late).
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(
                            StatusTable.KEY,
                            pk(source, eventId),
                            StatusTable.EXPIRES_AT,
                            AttributeValue.fromN(Long.toString(now + window.toSeconds()))))
                    .conditionExpression("attribute_not_exists(#pk) OR #exp <= :now")
                    .expressionAttributeNames(Map.of("#pk", StatusTable.KEY, "#exp", StatusTable.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now)))));
            return true;
        } catch (ConditionalCheckFailedException seen) {
            return false;
        } catch (SdkException e) {
            throw new FeedbackStoreException("feedback event ids cannot be checked: " + e.getMessage(), e);
        }
    }

    @Override
    public void release(String source, String eventId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of(StatusTable.KEY, pk(source, eventId))));
        } catch (SdkException e) {
            throw new FeedbackStoreException("a feedback event id cannot be released: " + e.getMessage(), e);
        }
    }

    /** Hashed: an event id is the provider's text of any length, and a key must stay short. */
    private static AttributeValue pk(String source, String eventId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((source + "\u0000" + eventId).getBytes(StandardCharsets.UTF_8));
            return AttributeValue.fromS(PREFIX + HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
