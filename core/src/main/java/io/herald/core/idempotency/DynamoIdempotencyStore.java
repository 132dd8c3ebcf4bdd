package io.herald.core.idempotency;

import io.herald.core.status.StatusTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link IdempotencyStore} on DynamoDB, in the status table under keys {@code idem#<hash>}.
 *
 * <p>Claiming is one conditional PutItem: of two API instances racing with the same key exactly one wins, and the loser
 * reads the winner's item from the refusal itself. A claim holds a lease: if the instance that claimed a key dies
 * before answering, the key does not stay blocked for the whole window but can be claimed again once the lease ran out.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {

    private static final String PREFIX = "idem#";
    private static final String FINGERPRINT = "fingerprint";
    private static final String STATE = "state";
    private static final String LEASE_UNTIL = "leaseUntil";
    private static final String STATUS = "status";
    private static final String BODY = "body";
    private static final String PENDING = "pending";
    private static final String DONE = "done";
    /** A lost race is retried this often before the store gives up (only under a pathological churn). */
    private static final int ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration window;
    private final Duration lease;
    private final Clock clock;

    /**
     * @param window how long a key is remembered
     * @param lease how long a claim blocks the key before another request may take it over; longer than any request
     *     takes (SQS calls included)
     */
    public DynamoIdempotencyStore(DynamoDbClient dynamo, String table, Duration window, Duration lease, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.window = window;
        this.lease = lease;
        this.clock = clock;
    }

    @Override
    public Claim claim(String scope, String key, String fingerprint) {
        AttributeValue pk = pk(scope, key);
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Instant now = clock.instant();
                Map<String, AttributeValue> item = Map.of(
                        StatusTable.KEY,
                        pk,
                        FINGERPRINT,
                        AttributeValue.fromS(fingerprint),
                        STATE,
                        AttributeValue.fromS(PENDING),
                        LEASE_UNTIL,
                        number(now.plus(lease).toEpochMilli()),
                        StatusTable.EXPIRES_AT,
                        number(now.plus(window).getEpochSecond()));
                Map<String, AttributeValue> existing;
                try {
                    // New, or remembered but past its window (the TTL sweeper deletes late).
                    dynamo.putItem(b -> b.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(#pk) OR #exp <= :now")
                            .expressionAttributeNames(Map.of("#pk", StatusTable.KEY, "#exp", StatusTable.EXPIRES_AT))
                            .expressionAttributeValues(Map.of(":now", number(now.getEpochSecond())))
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                    return new Claim.Claimed();
                } catch (ConditionalCheckFailedException taken) {
                    existing = taken.hasItem() ? taken.item() : read(pk);
                }
                if (existing == null || existing.isEmpty()) {
                    continue; // released between our put and our read: try again
                }
                if (!fingerprint.equals(existing.get(FINGERPRINT).s())) {
                    return new Claim.Mismatch();
                }
                if (DONE.equals(existing.get(STATE).s())) {
                    return new Claim.Replay(new StoredResponse(
                            Integer.parseInt(existing.get(STATUS).n()),
                            existing.get(BODY).s()));
                }
                AttributeValue heldUntil = existing.get(LEASE_UNTIL);
                if (Long.parseLong(heldUntil.n()) > now.toEpochMilli()) {
                    return new Claim.InProgress();
                }
                // The claimer vanished without answering: take the claim over, unless someone else just did.
                try {
                    dynamo.putItem(b -> b.tableName(table)
                            .item(item)
                            .conditionExpression("#lease = :held AND #state = :pending")
                            .expressionAttributeNames(Map.of("#lease", LEASE_UNTIL, "#state", STATE))
                            .expressionAttributeValues(
                                    Map.of(":held", heldUntil, ":pending", AttributeValue.fromS(PENDING))));
                    return new Claim.Claimed();
                } catch (ConditionalCheckFailedException lost) {
                    // Someone else moved first; look again.
                }
            }
            return new Claim.InProgress();
        } catch (SdkException e) {
            throw new IdempotencyStoreException("idempotency key cannot be checked: " + e.getMessage(), e);
        }
    }

    @Override
    public void complete(String scope, String key, String fingerprint, StoredResponse response) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(StatusTable.KEY, pk(scope, key)))
                    .updateExpression("SET #state = :done, #status = :status, #body = :body REMOVE #lease")
                    .conditionExpression("#fp = :fp")
                    .expressionAttributeNames(Map.of(
                            "#state",
                            STATE,
                            "#status",
                            STATUS,
                            "#body",
                            BODY,
                            "#lease",
                            LEASE_UNTIL,
                            "#fp",
                            FINGERPRINT))
                    .expressionAttributeValues(Map.of(
                            ":done",
                            AttributeValue.fromS(DONE),
                            ":status",
                            number(response.status()),
                            ":body",
                            AttributeValue.fromS(response.body()),
                            ":fp",
                            AttributeValue.fromS(fingerprint))));
        } catch (ConditionalCheckFailedException gone) {
            // The claim expired and was taken over by a request of another content: nothing to keep.
        } catch (SdkException e) {
            throw new IdempotencyStoreException("answer for an idempotency key cannot be stored: " + e.getMessage(), e);
        }
    }

    @Override
    public void release(String scope, String key, String fingerprint) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of(StatusTable.KEY, pk(scope, key)))
                    .conditionExpression("#state = :pending AND #fp = :fp")
                    .expressionAttributeNames(Map.of("#state", STATE, "#fp", FINGERPRINT))
                    .expressionAttributeValues(Map.of(
                            ":pending", AttributeValue.fromS(PENDING), ":fp", AttributeValue.fromS(fingerprint))));
        } catch (ConditionalCheckFailedException gone) {
            // Already answered or taken over: leave it.
        } catch (SdkException e) {
            throw new IdempotencyStoreException("idempotency key cannot be released: " + e.getMessage(), e);
        }
    }

    private Map<String, AttributeValue> read(AttributeValue pk) {
        return dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(StatusTable.KEY, pk)))
                .item();
    }

    /** Hashed: a client's key may be up to 255 characters of anything, and the scope must not leak into it. */
    private static AttributeValue pk(String scope, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((scope + "\u0000" + key).getBytes(StandardCharsets.UTF_8));
            return AttributeValue.fromS(PREFIX + HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
