package io.herald.core.feedback;

import io.herald.core.status.StatusTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Feedback counted per sender domain and UTC day in the status table, for the dashboard's bounce and complaint rates.
 *
 * <p>The Prometheus counters ({@link FeedbackMeters}) live in each process (the pipeline counts SES's events, the API
 * SendGrid's), and the API's overview cannot read the pipeline's registry. Both processes share the status table, so
 * each counted event also adds one to an attribute {@code <type>|<domain>} of the day's item
 * ({@code feedback-day#<yyyy-mm-dd>}): one UpdateItem ADD, atomic across processes, and a day's item holds every domain
 * (a few dozen attributes), so the overview reads two items and no Scan. Items expire (TTL) after {@link #KEEP}. Best
 * effort: a failed add is logged and the event stays recorded (the counters are the authority for alerts).
 */
public final class FeedbackDailyCounts {

    /** How long a day's counts are kept. */
    public static final Duration KEEP = Duration.ofDays(8);

    private static final Logger log = LoggerFactory.getLogger(FeedbackDailyCounts.class);
    private static final String PREFIX = "feedback-day#";
    private static final char BAR = '|';

    /** One sender domain's counts over the days read, by {@link FeedbackMeters} type label. */
    public record DomainCounts(String senderDomain, Map<String, Long> byType) {

        public long count(String type) {
            return byType.getOrDefault(type, 0L);
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public FeedbackDailyCounts(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** Adds one event of {@code type} (a {@link FeedbackMeters} label) for {@code senderDomain} to today's item. */
    public void add(String type, String senderDomain) {
        Instant now = clock.instant();
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(LocalDate.ofInstant(now, ZoneOffset.UTC)))
                    .updateExpression("ADD #c :one SET #exp = :exp")
                    .expressionAttributeNames(Map.of("#c", type + BAR + senderDomain, "#exp", StatusTable.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":one", AttributeValue.fromN("1"),
                            ":exp",
                                    AttributeValue.fromN(
                                            Long.toString(now.plus(KEEP).getEpochSecond())))));
        } catch (SdkException e) {
            log.warn(
                    "feedback {} of {} not added to the dashboard's daily counts: {}",
                    type,
                    senderDomain,
                    e.getMessage());
        }
    }

    /**
     * Each sender domain's counts over today and the {@code days - 1} days before (UTC), domains in name order.
     *
     * @throws SdkException when the table cannot be read
     */
    public List<DomainCounts> read(int days) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, Map<String, Long>> byDomain = new TreeMap<>();
        for (int back = 0; back < days; back++) {
            Map<String, AttributeValue> key = key(today.minusDays(back));
            Map<String, AttributeValue> item = dynamo.getItem(
                            b -> b.tableName(table).key(key).consistentRead(false))
                    .item();
            item.forEach((name, value) -> {
                int bar = name.indexOf(BAR);
                if (bar > 0 && value.n() != null) {
                    byDomain.computeIfAbsent(name.substring(bar + 1), d -> new TreeMap<>())
                            .merge(name.substring(0, bar), Long.parseLong(value.n()), Long::sum);
                }
            });
        }
        List<DomainCounts> counts = new ArrayList<>();
        byDomain.forEach((domain, byType) -> counts.add(new DomainCounts(domain, Map.copyOf(byType))));
        return List.copyOf(counts);
    }

    private static Map<String, AttributeValue> key(LocalDate day) {
        return Map.of(StatusTable.KEY, AttributeValue.fromS(PREFIX + day));
    }
}
