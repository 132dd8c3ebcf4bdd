package io.herald.core.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.embedded.EmbeddedDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** StatusTable's set-up against a real DynamoDB engine (DynamoDB Local, in-process). */
class StatusTableTest {

    @Test
    void aTableThatExistsWithoutTtlGetsItAndASecondCallChangesNothing() {
        try (EmbeddedDynamoDb embedded = EmbeddedDynamoDb.start(0);
                DynamoDbClient dynamo = client(embedded)) {
            // What a CreateTable the SDK retried left behind: the first attempt made the table, the retry was
            // told ResourceInUse, and TTL was never switched on.
            createWithoutTtl(dynamo, "herald-status", StatusTable.KEY);
            assertThat(ttl(dynamo, "herald-status").timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);

            StatusTable.createIfMissing(dynamo, "herald-status");
            StatusTable.createIfMissing(dynamo, "herald-status");

            TimeToLiveDescription ttl = ttl(dynamo, "herald-status");
            assertThat(ttl.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
            assertThat(ttl.attributeName()).isEqualTo(StatusTable.EXPIRES_AT);
        }
    }

    @Test
    void aNewTableIsMadeWithTtl() {
        try (EmbeddedDynamoDb embedded = EmbeddedDynamoDb.start(0);
                DynamoDbClient dynamo = client(embedded)) {
            StatusTable.createIfMissing(dynamo, "herald-new");

            assertThat(StatusTable.problem(dynamo, "herald-new")).isEmpty();
            assertThat(ttl(dynamo, "herald-new").attributeName()).isEqualTo(StatusTable.EXPIRES_AT);
        }
    }

    @Test
    void ttlOnAnotherAttributeIsRefusedNamingBoth() {
        try (EmbeddedDynamoDb embedded = EmbeddedDynamoDb.start(0);
                DynamoDbClient dynamo = client(embedded)) {
            createWithoutTtl(dynamo, "someone-elses", StatusTable.KEY);
            dynamo.updateTimeToLive(b -> b.tableName("someone-elses")
                    .timeToLiveSpecification(t -> t.attributeName("deleteAfter").enabled(true)));

            assertThatThrownBy(() -> StatusTable.createIfMissing(dynamo, "someone-elses"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("someone-elses")
                    .hasMessageContaining("'deleteAfter'")
                    .hasMessageContaining("'" + StatusTable.EXPIRES_AT + "'");
        }
    }

    private static DynamoDbClient client(EmbeddedDynamoDb embedded) {
        return DynamoDbClients.create(DynamoTesting.statusConfig(embedded.endpoint(), "unused"));
    }

    private static void createWithoutTtl(DynamoDbClient dynamo, String table, String key) {
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName(key).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(key).keyType(KeyType.HASH)));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    private static TimeToLiveDescription ttl(DynamoDbClient dynamo, String table) {
        return dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    }
}
