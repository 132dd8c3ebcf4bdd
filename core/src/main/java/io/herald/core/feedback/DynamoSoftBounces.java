package io.herald.core.feedback;

import io.herald.core.status.StatusTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link SoftBounces} in the status table: one item per address, keyed {@code softbounce#<address>}, holding a string
 * set of {@code <epoch millis>|<event id>} entries. Adding to a set is idempotent and atomic in DynamoDB, so a repeated
 * event and several pipeline instances at once count right without a condition or a retry. Entries older than the
 * window are pruned after the count; the item expires (TTL) a window after its last bounce.
 */
public final class DynamoSoftBounces implements SoftBounces {

    private static final Logger log = LoggerFactory.getLogger(DynamoSoftBounces.class);
    private static final String PREFIX = "softbounce#";
    private static final String BOUNCES = "bounces";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoSoftBounces(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** The item counting the soft bounces of a normalized address; {@link DynamoSuppressions#remove} deletes it. */
    static Map<String, AttributeValue> key(String address) {
        return Map.of(StatusTable.KEY, AttributeValue.fromS(PREFIX + address));
    }

    @Override
    public int note(String address, String eventId, Instant at, Duration window) {
        Instant now = clock.instant();
        Instant since = now.minus(window);
        Map<String, AttributeValue> key = key(address);
        List<String> entries;
        try {
            entries = dynamo.updateItem(b -> b.tableName(table)
                            .key(key)
                            .updateExpression("ADD #b :entry SET #exp = :exp")
                            .expressionAttributeNames(Map.of("#b", BOUNCES, "#exp", StatusTable.EXPIRES_AT))
                            .expressionAttributeValues(Map.of(
                                    ":entry", AttributeValue.fromSs(List.of(at.toEpochMilli() + "|" + eventId)),
                                    ":exp",
                                            AttributeValue.fromN(Long.toString(
                                                    now.plus(window).getEpochSecond()))))
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes()
                    .get(BOUNCES)
                    .ss();
        } catch (SdkException e) {
            throw new FeedbackStoreException("soft bounce of an address not counted: " + e.getMessage(), e);
        }
        List<String> old = entries.stream().filter(e -> !within(e, since)).toList();
        if (!old.isEmpty()) {
            prune(key, old);
        }
        return entries.size() - old.size();
    }

    private static boolean within(String entry, Instant since) {
        int bar = entry.indexOf('|');
        return bar > 0 && Long.parseLong(entry.substring(0, bar)) > since.toEpochMilli();
    }

    /** Best effort: a failed prune only leaves old entries that the next count ignores again. */
    private void prune(Map<String, AttributeValue> key, List<String> old) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key)
                    .updateExpression("DELETE #b :old")
                    .expressionAttributeNames(Map.of("#b", BOUNCES))
                    .expressionAttributeValues(Map.of(":old", AttributeValue.fromSs(old))));
        } catch (SdkException e) {
            log.debug("old soft bounces not pruned: {}", e.getMessage());
        }
    }
}
