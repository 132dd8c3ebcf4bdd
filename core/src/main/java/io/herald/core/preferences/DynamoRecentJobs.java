package io.herald.core.preferences;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.status.StatusTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link RecentJobs} in the status table: one item per user under {@code jobs#<user>}, the notices as one JSON array
 * (newest first, at most {@link #KEEP}) and a version. A write reads the list, puts the new one on condition that the
 * version is unchanged, and starts over when another forwarder wrote meanwhile, so two clusters' forwarders sharing a
 * table lose nothing. The item expires with the status TTL after its last write, as the message states it points at do.
 */
public final class DynamoRecentJobs implements RecentJobs {

    static final String PREFIX = "jobs#";
    private static final int ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final java.time.Duration ttl;
    private final ObjectMapper mapper = new ObjectMapper();

    /** @param ttl how long after the last notice the list is kept (the status table's status.ttl) */
    public DynamoRecentJobs(DynamoDbClient dynamo, String table, java.time.Duration ttl) {
        this.dynamo = dynamo;
        this.table = table;
        this.ttl = ttl;
    }

    @Override
    public void add(String user, List<JobNotice> notices) {
        if (notices.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = read(user);
            long version = item.containsKey("version")
                    ? Long.parseLong(item.get("version").n())
                    : 0;
            List<JobNotice> list = new ArrayList<>(notices.reversed());
            list.addAll(
                    item.containsKey("notices")
                            ? decode(user, item.get("notices").s())
                            : List.of());
            List<JobNotice> kept = list.subList(0, Math.min(KEEP, list.size()));
            Instant newest = notices.getLast().at();
            Map<String, AttributeValue> next = new HashMap<>();
            next.put(StatusTable.KEY, AttributeValue.fromS(PREFIX + user));
            next.put("notices", AttributeValue.fromS(encode(kept)));
            next.put("version", AttributeValue.fromN(Long.toString(version + 1)));
            next.put(
                    StatusTable.EXPIRES_AT,
                    AttributeValue.fromN(Long.toString(newest.plus(ttl).getEpochSecond())));
            try {
                dynamo.putItem(b -> b.tableName(table)
                        .item(next)
                        .conditionExpression(version == 0 ? "attribute_not_exists(version)" : "version = :v")
                        .expressionAttributeValues(
                                version == 0 ? null : Map.of(":v", AttributeValue.fromN(Long.toString(version)))));
                return;
            } catch (ConditionalCheckFailedException raced) {
                if (attempt >= ATTEMPTS) {
                    throw new PreferencesStoreException(
                            "the recent jobs of " + user + " changed under every one of " + ATTEMPTS + " writes",
                            raced);
                }
            } catch (SdkException e) {
                throw new PreferencesStoreException(
                        "the recent jobs of " + user + " cannot be saved: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<JobNotice> recent(String user) {
        Map<String, AttributeValue> item = read(user);
        return item.containsKey("notices") ? decode(user, item.get("notices").s()) : List.of();
    }

    private Map<String, AttributeValue> read(String user) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                            .consistentRead(true)
                            .key(Map.of(StatusTable.KEY, AttributeValue.fromS(PREFIX + user))))
                    .item();
            return item == null ? Map.of() : item;
        } catch (SdkException e) {
            throw new PreferencesStoreException("the recent jobs of " + user + " cannot be read: " + e.getMessage(), e);
        }
    }

    private String encode(List<JobNotice> notices) {
        ArrayNode out = mapper.createArrayNode();
        for (JobNotice n : notices) {
            ObjectNode o = out.addObject();
            o.put("jobId", n.jobId());
            o.put("name", n.name());
            o.put("cluster", n.cluster());
            o.put("event", n.event());
            o.put("state", n.state());
            o.put("at", n.at().toString());
            o.put("digest", n.digest());
            ArrayNode sent = o.putArray("sent");
            n.sent().forEach(s -> sent.addObject().put("id", s.messageId()).put("to", s.receiver()));
        }
        return out.toString();
    }

    private List<JobNotice> decode(String user, String text) {
        try {
            List<JobNotice> out = new ArrayList<>();
            for (JsonNode o : mapper.readTree(text)) {
                List<Sent> sent = new ArrayList<>();
                o.path("sent")
                        .forEach(s -> sent.add(
                                new Sent(s.path("id").asText(), s.path("to").asText())));
                out.add(new JobNotice(
                        text(o, "jobId"),
                        text(o, "name"),
                        text(o, "cluster"),
                        text(o, "event"),
                        text(o, "state"),
                        Instant.parse(o.path("at").asText()),
                        text(o, "digest"),
                        sent));
            }
            return out;
        } catch (JsonProcessingException | java.time.DateTimeException e) {
            throw new PreferencesStoreException("the recent jobs of " + user + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
