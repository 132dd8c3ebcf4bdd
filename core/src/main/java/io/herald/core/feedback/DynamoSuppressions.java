package io.herald.core.feedback;

import io.herald.core.retry.Backoff;
import io.herald.core.retry.Sleeps;
import io.herald.core.status.StatusTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * {@link Suppressions} in the status table: one item per address under {@code suppress#<address>}, holding one map
 * attribute per suppressed category ({@code c:*} for all of them, {@code c:<category>} for one). One item per address
 * because {@link #find} runs before every email: whatever the email's category, one GetItem (or, for a whole read, one
 * BatchGetItem) answers it, and {@link #remove} is one DeleteItem. The items have no {@code expiresAt}: an entry holds
 * until it is removed.
 *
 * <p>Reads are eventually consistent (half the read cost of strongly consistent ones, and DynamoDB's replicas agree
 * within about a second), so an entry added or removed takes effect for sends within about a second. {@link #list}
 * without an address scans the table for the {@code suppress#} items: an admin's occasional request, never on a send's
 * path, whose cost grows with the table.
 */
public final class DynamoSuppressions implements Suppressions {

    static final String PREFIX = "suppress#";
    static final String ADDRESS = "address";
    /** Prefix of the attribute holding one category's entry. */
    static final String CATEGORY = "c:";

    private static final String REASON = "reason";
    private static final String SOURCE = "source";
    private static final String AT = "at";
    /** BatchGetItem takes at most 100 keys. */
    private static final int MAX_BATCH_GET = 100;
    /** Keys DynamoDB left unprocessed (throttling) are asked again this many times before the read counts as failed. */
    private static final int MAX_BATCH_ATTEMPTS = 4;

    private static final Backoff UNPROCESSED_PAUSES = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoSuppressions(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Suppression> find(String address, String category) {
        String normalized = Suppression.normalize(address);
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table).key(key(normalized))).item();
        } catch (SdkException e) {
            throw new FeedbackStoreException(
                    "the suppression list cannot be read for " + normalized + ": " + e.getMessage(), e);
        }
        return matching(item, category);
    }

    /** One BatchGetItem per 100 distinct addresses; keys DynamoDB leaves unprocessed are asked again. */
    @Override
    public List<Optional<Suppression>> findAll(List<Lookup> lookups) {
        Set<String> addresses = new LinkedHashSet<>();
        lookups.forEach(l -> addresses.add(Suppression.normalize(l.address())));
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        List<String> all = new ArrayList<>(addresses);
        for (int from = 0; from < all.size(); from += MAX_BATCH_GET) {
            items.putAll(batchGet(all.subList(from, Math.min(all.size(), from + MAX_BATCH_GET))));
        }
        return lookups.stream()
                .map(l -> matching(items.get(Suppression.normalize(l.address())), l.category()))
                .toList();
    }

    /** @return the items found, by address */
    private Map<String, Map<String, AttributeValue>> batchGet(List<String> addresses) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        Map<String, KeysAndAttributes> asked = Map.of(
                table,
                KeysAndAttributes.builder()
                        .keys(addresses.stream().map(DynamoSuppressions::key).toList())
                        .build());
        for (int attempt = 1; !asked.isEmpty(); attempt++) {
            if (attempt > MAX_BATCH_ATTEMPTS) {
                throw new FeedbackStoreException(
                        "the suppression list cannot be read: DynamoDB left keys unprocessed " + MAX_BATCH_ATTEMPTS
                                + " times",
                        null);
            }
            if (attempt > 1) {
                Sleeps.quietly(UNPROCESSED_PAUSES.step(attempt - 1));
            }
            Map<String, KeysAndAttributes> request = asked;
            BatchGetItemResponse response;
            try {
                response = dynamo.batchGetItem(b -> b.requestItems(request));
            } catch (SdkException e) {
                throw new FeedbackStoreException("the suppression list cannot be read: " + e.getMessage(), e);
            }
            response.responses().getOrDefault(table, List.of()).forEach(item -> found.put(address(item), item));
            asked = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return found;
    }

    @Override
    public void add(Suppression suppression) {
        String attribute = CATEGORY + suppression.category();
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(suppression.address()))
                    .updateExpression("SET #address = :address, #entry = :entry")
                    .expressionAttributeNames(Map.of("#address", ADDRESS, "#entry", attribute))
                    .expressionAttributeValues(Map.of(
                            ":address",
                            AttributeValue.fromS(suppression.address()),
                            ":entry",
                            AttributeValue.fromM(Map.of(
                                    REASON, AttributeValue.fromS(suppression.reason()),
                                    SOURCE, AttributeValue.fromS(suppression.source()),
                                    AT,
                                            AttributeValue.fromN(Long.toString(
                                                    suppression.at().toEpochMilli())))))));
        } catch (SdkException e) {
            throw new FeedbackStoreException(
                    "the suppression of " + suppression.address() + " cannot be saved: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean remove(String address) {
        String normalized = Suppression.normalize(address);
        try {
            // The count goes first: an address let through again starts a new count, or the next single soft bounce
            // would suppress it again at once. If the second delete fails, the address is still suppressed: retry.
            dynamo.deleteItem(b -> b.tableName(table).key(DynamoSoftBounces.key(normalized)));
            Map<String, AttributeValue> old = dynamo.deleteItem(
                            b -> b.tableName(table).key(key(normalized)).returnValues(ReturnValue.ALL_OLD))
                    .attributes();
            return old != null && !entries(old).isEmpty();
        } catch (SdkException e) {
            throw new FeedbackStoreException(
                    "the suppression of " + normalized + " cannot be removed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Suppression> list(String addressOrNull, int limit) {
        List<Suppression> entries = new ArrayList<>();
        try {
            if (addressOrNull != null) {
                String normalized = Suppression.normalize(addressOrNull);
                Map<String, AttributeValue> item = dynamo.getItem(
                                b -> b.tableName(table).key(key(normalized)).consistentRead(true))
                        .item();
                if (item != null) {
                    entries.addAll(entries(item));
                }
            } else {
                ScanRequest scan = ScanRequest.builder()
                        .tableName(table)
                        .filterExpression("begins_with(#pk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", StatusTable.KEY))
                        .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(PREFIX)))
                        .build();
                dynamo.scanPaginator(scan).items().forEach(item -> entries.addAll(entries(item)));
            }
        } catch (SdkException e) {
            throw new FeedbackStoreException("the suppression list cannot be read: " + e.getMessage(), e);
        }
        return entries.stream()
                .sorted(Comparator.comparing(Suppression::at)
                        .reversed()
                        .thenComparing(Suppression::address)
                        .thenComparing(Suppression::category))
                .limit(Math.max(0, limit))
                .toList();
    }

    /** The entry of the item that stops {@code category}: the all-categories one first. */
    private static Optional<Suppression> matching(Map<String, AttributeValue> item, String category) {
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Optional<Suppression> all = entry(item, Suppression.ALL_CATEGORIES);
        if (all.isPresent() || category == null) {
            return all;
        }
        return entry(item, category);
    }

    private static Optional<Suppression> entry(Map<String, AttributeValue> item, String category) {
        AttributeValue value = item.get(CATEGORY + category);
        if (value == null || !value.hasM()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> m = value.m();
        return Optional.of(new Suppression(
                address(item),
                category,
                m.get(REASON).s(),
                m.get(SOURCE).s(),
                Instant.ofEpochMilli(Long.parseLong(m.get(AT).n()))));
    }

    private static List<Suppression> entries(Map<String, AttributeValue> item) {
        return item.keySet().stream()
                .filter(name -> name.startsWith(CATEGORY))
                .map(name -> entry(item, name.substring(CATEGORY.length())))
                .flatMap(Optional::stream)
                .toList();
    }

    private static String address(Map<String, AttributeValue> item) {
        AttributeValue address = item.get(ADDRESS);
        return address != null ? address.s() : item.get(StatusTable.KEY).s().substring(PREFIX.length());
    }

    private static Map<String, AttributeValue> key(String normalizedAddress) {
        return Map.of(StatusTable.KEY, AttributeValue.fromS(PREFIX + normalizedAddress));
    }
}
