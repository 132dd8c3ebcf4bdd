package io.herald.core.status;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The one DynamoDB table behind delivery status, the API's idempotency records, operators' switches and users'
 * preferences. Their items share it, told apart by the prefix of their key ({@code msg#}, {@code idem#},
 * {@code control#}, {@code pref#}), so a deployment has one table, one TTL setting and one set of permissions.
 */
public final class StatusTable {

    /** The partition key: a string, e.g. {@code msg#0190...}. */
    public static final String KEY = "pk";
    /** Epoch seconds after which DynamoDB's TTL sweeper may delete an item. */
    public static final String EXPIRES_AT = "expiresAt";

    /** Creating a table is a one-off at start-up and may take a while; requests in a request's path may not. */
    private static final Consumer<AwsRequestOverrideConfiguration.Builder> SETUP =
            o -> o.apiCallTimeout(Duration.ofSeconds(60)).apiCallAttemptTimeout(Duration.ofSeconds(30));

    private StatusTable() {}

    /**
     * Creates the table unless it exists, waits until it is usable and makes sure TTL is on for {@link #EXPIRES_AT}.
     * Idempotent: a table found already (an earlier start stopped between creating it and enabling TTL, or a
     * CreateTable the SDK retried after the first attempt had made it) gets its TTL too. For local mode and tests; in
     * AWS the CDK stack owns the table.
     *
     * @throws IllegalStateException when the table's TTL is on for another attribute
     */
    public static void createIfMissing(DynamoDbClient dynamo, String table) {
        // Listing, not describing: DynamoDB Local logs a stack trace for every describe of a missing table.
        boolean listed = dynamo.listTablesPaginator(b -> b.overrideConfiguration(SETUP)).tableNames().stream()
                .anyMatch(table::equals);
        if (!listed) {
            try {
                dynamo.createTable(b -> b.tableName(table)
                        .overrideConfiguration(SETUP)
                        .attributeDefinitions(AttributeDefinition.builder()
                                .attributeName(KEY)
                                .attributeType(ScalarAttributeType.S)
                                .build())
                        .keySchema(KeySchemaElement.builder()
                                .attributeName(KEY)
                                .keyType(KeyType.HASH)
                                .build())
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            } catch (ResourceInUseException exists) {
                // Made meanwhile (by a retried attempt of this very call, or another process): TTL below still applies.
            }
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table).overrideConfiguration(SETUP));
        ensureTimeToLive(dynamo, table);
    }

    /** UpdateTimeToLive refuses to enable TTL that is already on, so it is asked only when TTL is off. */
    private static void ensureTimeToLive(DynamoDbClient dynamo, String table) {
        TimeToLiveDescription ttl = dynamo.describeTimeToLive(
                        b -> b.tableName(table).overrideConfiguration(SETUP))
                .timeToLiveDescription();
        TimeToLiveStatus status = ttl == null ? null : ttl.timeToLiveStatus();
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
            if (!EXPIRES_AT.equals(ttl.attributeName())) {
                throw new IllegalStateException("DynamoDB table " + table + " has TTL on attribute '"
                        + ttl.attributeName() + "', Herald needs it on '" + EXPIRES_AT
                        + "': disable TTL on the table or give Herald a table of its own");
            }
            return;
        }
        dynamo.updateTimeToLive(b -> b.tableName(table)
                .overrideConfiguration(SETUP)
                .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
    }

    /** @return empty when the table answers and is active, otherwise what is wrong (for /readyz) */
    public static Optional<String> problem(DynamoDbClient dynamo, String table) {
        try {
            TableStatus status =
                    dynamo.describeTable(b -> b.tableName(table)).table().tableStatus();
            return status == TableStatus.ACTIVE || status == TableStatus.UPDATING
                    ? Optional.empty()
                    : Optional.of("table " + table + " is " + status);
        } catch (ResourceNotFoundException e) {
            return Optional.of("table " + table + " does not exist");
        }
    }
}
