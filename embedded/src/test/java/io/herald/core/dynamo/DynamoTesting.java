package io.herald.core.dynamo;

import io.herald.core.config.HeraldConfig;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** What the DynamoDB tests share: a config pointing at an embedded DynamoDB, fresh table names. */
public final class DynamoTesting {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private DynamoTesting() {}

    public static HeraldConfig.Status statusConfig(URI endpoint, String table) {
        HeraldConfig.Status d = HeraldConfig.defaults().status();
        return new HeraldConfig.Status(endpoint.toString(), d.region(), table, d.ttl());
    }

    /** A table name no other test uses, so tests can share one embedded DynamoDB. */
    public static String uniqueTable(String purpose) {
        return "t" + TABLES.incrementAndGet() + "-" + purpose;
    }
}
