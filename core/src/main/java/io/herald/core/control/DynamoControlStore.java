package io.herald.core.control;

import io.herald.core.status.StatusTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link ControlStore} in the status table, as four items whose keys need no Scan to find: {@code control#pauses} holds
 * one map entry per paused scope, {@code control#health} one map entry per (instance, provider) report,
 * {@code control#queue-ages} one per (instance, queue) report. Every write is an UpdateItem on its own map entry, so
 * instances writing at once never overwrite each other's entries, and conditions decide the races: the first pause of a
 * scope stays, and an older report never replaces a newer one.
 *
 * <p>No item carries {@code expiresAt}: a pause holds until someone resumes it. Reports age out instead:
 * {@link #health()}, {@link #queueAges()} and {@link #deferrals()} leave out reports not renewed within
 * {@code staleAfter} (their instance stopped or lost the store), and delete those older than {@link #FORGET_AFTER} of
 * them so the items do not grow with every instance that ever ran.
 */
public final class DynamoControlStore implements ControlStore {

    private static final Logger log = LoggerFactory.getLogger(DynamoControlStore.class);

    static final String PAUSES_KEY = "control#pauses";
    static final String HEALTH_KEY = "control#health";
    private static final String LAST_ERROR = "lastError";
    private static final String REASON = "reason";
    private static final String UNHEALTHY_SINCE = "unhealthySince";
    /** A provider's error as the dashboard shows it; the rest is in the pipeline's log. */
    private static final int MAX_ERROR_CHARS = 500;

    static final String QUEUE_AGES_KEY = "control#queue-ages";
    static final String DEFERRALS_KEY = "control#deferrals";
    private static final String PAUSES = "pauses";
    private static final String REPORTS = "reports";
    private static final String UPDATED_AT = "updatedAt";
    private static final String OLDEST_SENT_AT = "oldestSentAt";
    /** A stale report is deleted once it is this many staleness windows old. */
    static final int FORGET_AFTER = 10;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration staleAfter;
    private final Clock clock;

    /**
     * @param staleAfter a report not renewed for this long no longer counts (its instance is gone)
     * @param clock stamps pauses and decides which reports are stale
     */
    public DynamoControlStore(DynamoDbClient dynamo, String table, Duration staleAfter, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    @Override
    public void pause(PauseScope scope, String by, String reason) {
        Map<String, AttributeValue> pause = new HashMap<>(Map.of(
                "kind", AttributeValue.fromS(scope.kind().name()),
                "name", AttributeValue.fromS(scope.name()),
                "since", millis(clock.instant()),
                "by", AttributeValue.fromS(by == null || by.isBlank() ? "unknown" : by)));
        if (reason != null && !reason.isBlank()) {
            // Bounded like a provider's last error: the pauses of every scope share one item.
            String kept = reason.strip();
            pause.put(
                    REASON,
                    AttributeValue.fromS(
                            kept.length() <= Pause.MAX_REASON_CHARS
                                    ? kept
                                    : kept.substring(0, Pause.MAX_REASON_CHARS) + "…"));
        }
        try {
            ensureMap(PAUSES_KEY, PAUSES);
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(PAUSES_KEY))
                    .updateExpression("SET #m.#e = :v")
                    .conditionExpression("attribute_not_exists(#m.#e)")
                    .expressionAttributeNames(Map.of("#m", PAUSES, "#e", entry(scope)))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromM(pause))));
        } catch (ConditionalCheckFailedException alreadyPaused) {
            log.debug("{} is paused already; the first pause stays", entry(scope));
        } catch (SdkException e) {
            throw new ControlStoreException("cannot pause " + scope + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void resume(PauseScope scope) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(PAUSES_KEY))
                    .updateExpression("REMOVE #m.#e")
                    .conditionExpression("attribute_exists(#m.#e)")
                    .expressionAttributeNames(Map.of("#m", PAUSES, "#e", entry(scope))));
        } catch (ConditionalCheckFailedException notPaused) {
            log.debug("{} was not paused", entry(scope));
        } catch (SdkException e) {
            throw new ControlStoreException("cannot resume " + scope + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Pause> pauses() {
        List<Pause> pauses = new ArrayList<>();
        for (AttributeValue value : map(PAUSES_KEY, PAUSES, "pauses").values()) {
            Map<String, AttributeValue> p = value.m();
            PauseScope.Kind kind;
            try {
                kind = PauseScope.Kind.valueOf(p.get("kind").s());
            } catch (IllegalArgumentException newer) {
                // Written by a newer Herald: a switch this one cannot obey is better left out than guessed.
                log.warn("pause of unknown kind '{}' ignored", p.get("kind").s());
                continue;
            }
            // Pauses written before reasons existed have none.
            pauses.add(new Pause(
                    new PauseScope(kind, p.get("name").s()),
                    instant(p.get("since")),
                    p.get("by").s(),
                    p.containsKey(REASON) ? p.get(REASON).s() : ""));
        }
        pauses.sort(Comparator.comparing(Pause::since));
        return pauses;
    }

    @Override
    public void publishHealth(ProviderHealth health) {
        Map<String, AttributeValue> report = new HashMap<>(Map.of(
                "instance",
                AttributeValue.fromS(health.instance()),
                "channel",
                AttributeValue.fromS(health.channel()),
                "provider",
                AttributeValue.fromS(health.provider()),
                "state",
                AttributeValue.fromS(health.state().name()),
                "delivered",
                AttributeValue.fromN(Long.toString(health.delivered())),
                "failed",
                AttributeValue.fromN(Long.toString(health.failed())),
                "probes",
                AttributeValue.fromN(Long.toString(health.probes())),
                UPDATED_AT,
                millis(health.updatedAt())));
        if (health.lastError() != null) {
            // Bounded: a report lives in one item beside every other instance's.
            report.put(
                    LAST_ERROR,
                    AttributeValue.fromS(
                            health.lastError().length() <= MAX_ERROR_CHARS
                                    ? health.lastError()
                                    : health.lastError().substring(0, MAX_ERROR_CHARS) + "…"));
        }
        if (health.unhealthySince() != null) {
            report.put(UNHEALTHY_SINCE, millis(health.unhealthySince()));
        }
        publish(HEALTH_KEY, health.instance() + "/" + health.provider(), report, "the health of " + health.provider());
    }

    /** Every live instance's latest report: reports older than the staleness window are left out. */
    @Override
    public List<ProviderHealth> health() {
        List<ProviderHealth> live = new ArrayList<>();
        for (Map<String, AttributeValue> r : liveReports(HEALTH_KEY, "provider health")) {
            WorkerState state;
            try {
                state = WorkerState.valueOf(r.get("state").s());
            } catch (IllegalArgumentException newer) {
                log.warn(
                        "health report with unknown state '{}' ignored",
                        r.get("state").s());
                continue;
            }
            live.add(new ProviderHealth(
                    r.get("instance").s(),
                    r.get("channel").s(),
                    r.get("provider").s(),
                    state,
                    Long.parseLong(r.get("delivered").n()),
                    Long.parseLong(r.get("failed").n()),
                    Long.parseLong(r.get("probes").n()),
                    instant(r.get(UPDATED_AT)),
                    r.containsKey(LAST_ERROR) ? r.get(LAST_ERROR).s() : null,
                    r.containsKey(UNHEALTHY_SINCE) ? instant(r.get(UNHEALTHY_SINCE)) : null));
        }
        live.sort(Comparator.comparing(ProviderHealth::provider).thenComparing(ProviderHealth::instance));
        return live;
    }

    @Override
    public void publishQueueAge(QueueAge age) {
        Map<String, AttributeValue> report = new HashMap<>(Map.of(
                "instance",
                AttributeValue.fromS(age.instance()),
                "queue",
                AttributeValue.fromS(age.queue()),
                UPDATED_AT,
                millis(age.updatedAt())));
        if (age.oldestSentAt() != null) {
            report.put(OLDEST_SENT_AT, millis(age.oldestSentAt()));
        }
        publish(QUEUE_AGES_KEY, age.instance() + "/" + age.queue(), report, "the oldest message of " + age.queue());
    }

    /** Every live instance's latest report, as {@link #health()} keeps them. */
    @Override
    public List<QueueAge> queueAges() {
        List<QueueAge> live = new ArrayList<>();
        for (Map<String, AttributeValue> r : liveReports(QUEUE_AGES_KEY, "queue ages")) {
            AttributeValue oldest = r.get(OLDEST_SENT_AT);
            live.add(new QueueAge(
                    r.get("instance").s(),
                    r.get("queue").s(),
                    oldest == null ? null : instant(oldest),
                    instant(r.get(UPDATED_AT))));
        }
        live.sort(Comparator.comparing(QueueAge::queue).thenComparing(QueueAge::instance));
        return live;
    }

    @Override
    public void publishDeferral(DomainDeferral deferral) {
        publish(
                DEFERRALS_KEY,
                deferral.domain(),
                Map.of(
                        "domain",
                        AttributeValue.fromS(deferral.domain()),
                        "reporter",
                        AttributeValue.fromS(deferral.reporter()),
                        UPDATED_AT,
                        millis(deferral.at())),
                "a deferral of " + deferral.domain());
    }

    /** The latest deferral of each domain, if heard within the staleness window. */
    @Override
    public List<DomainDeferral> deferrals() {
        List<DomainDeferral> live = new ArrayList<>();
        for (Map<String, AttributeValue> r : liveReports(DEFERRALS_KEY, "deferrals")) {
            live.add(new DomainDeferral(r.get("domain").s(), r.get("reporter").s(), instant(r.get(UPDATED_AT))));
        }
        live.sort(Comparator.comparing(DomainDeferral::at));
        return live;
    }

    /** Sets one entry (an instance's report, a domain's deferral) in a report item, unless the entry there is newer. */
    private void publish(String itemKey, String entry, Map<String, AttributeValue> report, String what) {
        try {
            ensureMap(itemKey, REPORTS);
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(itemKey))
                    .updateExpression("SET #m.#e = :v")
                    .conditionExpression("attribute_not_exists(#m.#e) OR #m.#e.#u <= :u")
                    .expressionAttributeNames(Map.of("#m", REPORTS, "#e", entry, "#u", UPDATED_AT))
                    .expressionAttributeValues(
                            Map.of(":v", AttributeValue.fromM(report), ":u", report.get(UPDATED_AT))));
        } catch (ConditionalCheckFailedException older) {
            log.debug(
                    "report {} at {} not stored: a newer one is",
                    entry,
                    report.get(UPDATED_AT).n());
        } catch (SdkException e) {
            throw new ControlStoreException("cannot publish " + what + ": " + e.getMessage(), e);
        }
    }

    /** The entries of a report item renewed within the staleness window; long-dead ones are deleted. */
    private List<Map<String, AttributeValue>> liveReports(String itemKey, String what) {
        Instant now = clock.instant();
        Instant staleBefore = now.minus(staleAfter);
        Instant forgetBefore = now.minus(staleAfter.multipliedBy(FORGET_AFTER));
        List<Map<String, AttributeValue>> live = new ArrayList<>();
        for (Map.Entry<String, AttributeValue> e : map(itemKey, REPORTS, what).entrySet()) {
            Map<String, AttributeValue> r = e.getValue().m();
            Instant updatedAt = instant(r.get(UPDATED_AT));
            if (updatedAt.isBefore(forgetBefore)) {
                forget(itemKey, e.getKey(), r.get(UPDATED_AT));
            }
            if (!updatedAt.isBefore(staleBefore)) {
                live.add(r);
            }
        }
        return live;
    }

    /** Deletes a long-dead instance's report, unless it was renewed since it was read. */
    private void forget(String itemKey, String entry, AttributeValue updatedAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(itemKey))
                    .updateExpression("REMOVE #m.#e")
                    .conditionExpression("#m.#e.#u = :u")
                    .expressionAttributeNames(Map.of("#m", REPORTS, "#e", entry, "#u", UPDATED_AT))
                    .expressionAttributeValues(Map.of(":u", updatedAt)));
        } catch (SdkException e) {
            // Tidying only: the report is left out of every answer anyway.
            log.debug("old report {} not deleted: {}", entry, e.getMessage());
        }
    }

    /**
     * A nested entry can only be set inside a map that exists; creating the map is its own write because one update
     * expression may not both create a map and set a path inside it.
     */
    private void ensureMap(String itemKey, String attribute) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(itemKey))
                .updateExpression("SET #m = if_not_exists(#m, :empty)")
                .expressionAttributeNames(Map.of("#m", attribute))
                .expressionAttributeValues(Map.of(":empty", AttributeValue.fromM(Map.of()))));
    }

    private Map<String, AttributeValue> map(String itemKey, String attribute, String what) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table)
                            .key(key(itemKey))
                            .consistentRead(true)
                            .projectionExpression("#m")
                            .expressionAttributeNames(Map.of("#m", attribute)))
                    .item();
        } catch (SdkException e) {
            throw new ControlStoreException(what + " cannot be read: " + e.getMessage(), e);
        }
        AttributeValue map = item == null ? null : item.get(attribute);
        return map == null || !map.hasM() ? Map.of() : map.m();
    }

    private static Map<String, AttributeValue> key(String itemKey) {
        return Map.of(StatusTable.KEY, AttributeValue.fromS(itemKey));
    }

    private static String entry(PauseScope scope) {
        return scope.kind().label() + "/" + scope.name();
    }

    private static AttributeValue millis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }

    private static Instant instant(AttributeValue millis) {
        return Instant.ofEpochMilli(Long.parseLong(millis.n()));
    }
}
