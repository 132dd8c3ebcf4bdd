package io.herald.infra;

import io.herald.core.config.HeraldConfig;
import io.herald.core.status.StatusTable;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The one DynamoDB table behind delivery status and the API's idempotency records, with the key and TTL attribute that
 * core's stores write ({@link StatusTable#KEY}, {@link StatusTable#EXPIRES_AT}).
 */
final class StatusStorage extends Construct {

    private final Table table;

    StatusStorage(Construct scope, String id, HeraldConfig.Status status) {
        super(scope, id);
        this.table = Table.Builder.create(this, "Table")
                .tableName(status.table())
                .partitionKey(Attribute.builder()
                        .name(StatusTable.KEY)
                        .type(AttributeType.STRING)
                        .build())
                // Traffic follows notifications, which come in bursts: pay per request, plan no capacity.
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(StatusTable.EXPIRES_AT)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    Table table() {
        return table;
    }
}
