package io.herald.core.preferences;

import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What Herald keeps per Unix user, side by side in the status table: preferences, linked chats and the recent
 * notifications about their jobs. The forwarder and the bot take them together.
 */
public record UserStores(PreferencesStore preferences, ChatLinks links, RecentJobs jobs) {

    /** @param ttl the status table's status.ttl: how long a user's recent notifications are kept */
    public static UserStores inStatusTable(DynamoDbClient dynamo, String table, Duration ttl) {
        return new UserStores(
                new DynamoPreferencesStore(dynamo, table),
                new DynamoChatLinks(dynamo, table),
                new DynamoRecentJobs(dynamo, table, ttl));
    }
}
