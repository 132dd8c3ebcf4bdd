package io.herald.core.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link StatusStore} on DynamoDB: one item per message, keyed {@code msg#<id>}, holding its newest state.
 *
 * <p>Pipeline instances and the API record concurrently and out of order, so every write is conditional and DynamoDB
 * itself decides: an update lands only if the message has no state yet, or its stored state is not final and not newer
 * than the update. {@link DeliveryState.Queued} lands only on a message with no state at all, because the pipeline may
 * well have picked the message up (and recorded "sending") before the API's "queued" arrives. Items expire through
 * DynamoDB's TTL {@code ttl} after their last change; since the TTL sweeper runs late, reads treat expired items as
 * gone.
 */
public final class DynamoStatusStore implements StatusStore {

    private static final Logger log = LoggerFactory.getLogger(DynamoStatusStore.class);
    private static final String PREFIX = "msg#";
    /** BatchWriteItem takes at most 25 items. */
    private static final int MAX_BATCH_WRITE = 25;
    /** TransactWriteItems takes at most 100 actions (since 2022; DynamoDB Local 2.x too, see its test). */
    public static final int MAX_TRANSACTION = 100;
    /** Cancellations with no stale update among them (conflicts, throttling) tried before giving up. */
    private static final int MAX_TRANSACTION_ATTEMPTS = 3;

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    /**
     * Longer than the client's 2 s per attempt, which suits one item on an API request's path: a batch is written off
     * that path, and 100 conditional updates queued behind others on a starved DynamoDB Local took over 12 s (then were
     * applied after the client had given up, and written again). Giving up on a store that is slow, not down, would
     * drop statuses for nothing.
     */
    private static final Duration TRANSACTION_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration TRANSACTION_CALL_TIMEOUT = Duration.ofSeconds(20);

    private static final String STATE = "state";
    private static final String AT = "at";
    private static final String FINAL = "final";
    private static final String PROVIDER = "provider";
    private static final String PROVIDER_MESSAGE_ID = "providerMessageId";
    private static final String ATTEMPTS = "attempts";
    private static final String DETAIL = "detail";
    /** Of a bounce: hard or soft. */
    private static final String KIND = "kind";

    private static final String SOFT = "soft";
    /** Never removed by an update: the API key that sent the message, which alone (besides admins) may read it. */
    private static final String OWNER = "owner";
    /**
     * Never removed by an update: where the message's status changes are posted (it may hold a token, so no read shows
     * it); written only for messages that have one, so the others cost nothing.
     */
    private static final String CALLBACK_URL = "callbackUrl";
    /** What became of a callback given up on (its state, time and last error), for the operator. */
    private static final String CALLBACK_FAILURE = "callbackFailure";
    /**
     * Each recorded state with its fields, appended by every accepted update: bounded because a message's attempts are
     * (SQS's maxReceiveCount dead-letters it), and started over by a redrive.
     */
    private static final String HISTORY = "history";
    /** Never removed by an update, like the owner: whose domain sent the message, for feedback metrics. */
    private static final String SENDER_DOMAIN = "senderDomain";
    /**
     * What providers reported about the message after accepting it ({@link FeedbackStep}s), oldest first: bounded by
     * what a provider reports of one email (a delivery, a few deferrals, a bounce or complaint).
     */
    private static final String FEEDBACK = "feedback";
    /** The provider event ids in {@link #FEEDBACK} (a string set): a repeated event is recorded once. */
    private static final String FEEDBACK_EVENTS = "feedbackEvents";

    private static final String TYPE = "type";
    private static final String EVENT_ID = "eventId";
    /** Attributes only some states have; an update removes those its state lacks. */
    private static final List<String> OPTIONAL = List.of(PROVIDER, PROVIDER_MESSAGE_ID, ATTEMPTS, DETAIL, KIND);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param ttl how long an item lives after its last change
     * @param clock decides what has expired on read
     */
    public DynamoStatusStore(DynamoDbClient dynamo, String table, Duration ttl, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * @throws StatusStoreException when DynamoDB cannot be reached or refuses the write; an update that lost to a newer
     *     or final state is not an error
     */
    @Override
    public void record(StatusUpdate update) {
        write(update, false);
    }

    /**
     * @param unconditional replace whatever state is stored (a redrive), keeping the owner unless the update names one
     */
    private void write(StatusUpdate update, boolean unconditional) {
        Update u = update(update, List.of(update), unconditional);
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(u.key())
                    .updateExpression(u.updateExpression())
                    .conditionExpression(u.conditionExpression())
                    .expressionAttributeNames(u.expressionAttributeNames())
                    .expressionAttributeValues(u.expressionAttributeValues()));
        } catch (ConditionalCheckFailedException stale) {
            log.debug(
                    "status {} of {} at {} not recorded: a newer or final state is stored",
                    update.state().name(),
                    update.messageId(),
                    update.at());
        } catch (SdkException e) {
            throw new StatusStoreException(
                    "status " + update.state().name() + " of " + update.messageId() + " not recorded: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * The conditional update of one item: {@code update}'s state and fields, {@code steps} appended to its history
     * (several when updates of one message were folded, see {@link #recordAll}).
     */
    private Update update(StatusUpdate update, List<StatusUpdate> steps, boolean unconditional) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        DeliveryState state = update.state();
        Map<String, AttributeValue> fields = fields(state);
        put(set, names, values, STATE, AttributeValue.fromS(state.name()));
        put(
                set,
                names,
                values,
                AT,
                AttributeValue.fromN(Long.toString(update.at().toEpochMilli())));
        put(set, names, values, FINAL, AttributeValue.fromBool(state.isFinal()));
        put(
                set,
                names,
                values,
                StatusTable.EXPIRES_AT,
                AttributeValue.fromN(Long.toString(update.at().plus(ttl).getEpochSecond())));
        for (String attribute : OPTIONAL) {
            if (fields.containsKey(attribute)) {
                put(set, names, values, attribute, fields.get(attribute));
            } else {
                names.put("#" + attribute, attribute);
                remove.add("#" + attribute);
            }
        }
        String owner = steps.stream()
                .map(StatusUpdate::owner)
                .filter(o -> o != null)
                .findFirst()
                .orElse(null);
        if (owner != null) {
            put(set, names, values, OWNER, AttributeValue.fromS(owner));
        }
        steps.stream()
                .map(StatusUpdate::senderDomain)
                .filter(d -> d != null && !d.isEmpty())
                .findFirst()
                .ifPresent(d -> put(set, names, values, SENDER_DOMAIN, AttributeValue.fromS(d)));
        steps.stream()
                .map(StatusUpdate::callbackUrl)
                .filter(url -> url != null)
                .findFirst()
                .ifPresent(url -> put(set, names, values, CALLBACK_URL, AttributeValue.fromS(url)));
        names.put("#" + HISTORY, HISTORY);
        values.put(":noHistory", AttributeValue.fromL(List.of()));
        values.put(
                ":step",
                AttributeValue.fromL(steps.stream().map(DynamoStatusStore::step).toList()));
        set.add("#" + HISTORY + " = list_append(if_not_exists(#" + HISTORY + ", :noHistory), :step)");
        String condition;
        if (unconditional) {
            condition = null;
        } else if (state instanceof DeliveryState.Queued) {
            names.put("#pk", StatusTable.KEY);
            condition = "attribute_not_exists(#pk)";
        } else {
            names.put("#pk", StatusTable.KEY);
            values.put(":notFinal", AttributeValue.fromBool(false));
            condition = "attribute_not_exists(#pk) OR (#" + FINAL + " = :notFinal AND #" + AT + " <= :" + AT + ")";
        }
        String expression =
                "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        return Update.builder()
                .tableName(table)
                .key(Map.of(StatusTable.KEY, AttributeValue.fromS(PREFIX + update.messageId())))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /**
     * Many updates in few requests, each with {@link #record}'s condition: one TransactWriteItems per
     * {@value #MAX_TRANSACTION} messages. A transaction rather than BatchWriteItem, because only a transaction's
     * actions take conditions, and the conditions are what keep pipeline instances that record out of order from
     * replacing a newer or final state.
     *
     * <p>A transaction is all or nothing, and one stale update (a newer or final state already stored) cancels it:
     * DynamoDB then names each action's reason, the stale ones are dropped (losing to a newer state is what should
     * happen to them) and the rest sent again. An action may not touch an item another action of the same transaction
     * touches, so updates of one message are folded first into the one that wins (a final state over any other, then
     * the newest), with every update's step in the history. A crash between the SDK's retries cannot apply a
     * transaction twice: the SDK gives each request an idempotency token (ClientRequestToken) that its retries repeat.
     *
     * @throws StatusStoreException when DynamoDB cannot be reached or keeps refusing; updates of earlier transactions
     *     of this call may have been recorded, those of the failed one were not
     */
    @Override
    public void recordAll(List<StatusUpdate> updates) {
        List<List<StatusUpdate>> folded = new ArrayList<>(fold(updates).values());
        for (int from = 0; from < folded.size(); from += MAX_TRANSACTION) {
            transact(folded.subList(from, Math.min(folded.size(), from + MAX_TRANSACTION)));
        }
    }

    /** Updates by message, in order of arrival; each list's steps oldest first. */
    private static Map<String, List<StatusUpdate>> fold(List<StatusUpdate> updates) {
        Map<String, List<StatusUpdate>> byMessage = new LinkedHashMap<>();
        for (StatusUpdate update : updates) {
            byMessage
                    .computeIfAbsent(update.messageId(), id -> new ArrayList<>())
                    .add(update);
        }
        byMessage.values().forEach(steps -> steps.sort(Comparator.comparing(StatusUpdate::at)));
        return byMessage;
    }

    /** What a folded message's item ends up holding: a final state over any other, then the newest. */
    private static StatusUpdate winner(List<StatusUpdate> steps) {
        return steps.stream()
                .max(Comparator.comparing((StatusUpdate u) -> u.state().isFinal())
                        .thenComparing(StatusUpdate::at))
                .orElseThrow();
    }

    /** @param messages each message's updates, at most {@value #MAX_TRANSACTION} messages */
    private void transact(List<List<StatusUpdate>> messages) {
        List<List<StatusUpdate>> left = messages;
        for (int attempt = 1; !left.isEmpty(); attempt++) {
            List<TransactWriteItem> actions = left.stream()
                    .map(steps -> TransactWriteItem.builder()
                            .update(update(winner(steps), steps, false))
                            .build())
                    .toList();
            try {
                dynamo.transactWriteItems(b -> b.transactItems(actions)
                        .overrideConfiguration(o -> o.apiCallAttemptTimeout(TRANSACTION_ATTEMPT_TIMEOUT)
                                .apiCallTimeout(TRANSACTION_CALL_TIMEOUT)));
                return;
            } catch (TransactionCanceledException cancelled) {
                List<CancellationReason> reasons =
                        cancelled.hasCancellationReasons() ? cancelled.cancellationReasons() : List.of();
                List<List<StatusUpdate>> again = new ArrayList<>();
                for (int i = 0; i < left.size(); i++) {
                    String code = i < reasons.size() ? reasons.get(i).code() : null;
                    if (CONDITION_FAILED.equals(code)) {
                        log.debug(
                                "status {} of {} not recorded: a newer or final state is stored",
                                winner(left.get(i)).state().name(),
                                left.get(i).getFirst().messageId());
                    } else {
                        again.add(left.get(i));
                    }
                }
                if (again.size() == left.size() && attempt >= MAX_TRANSACTION_ATTEMPTS) {
                    // Nothing was stale, so the cancellation was a conflict or throttling that did not pass.
                    throw new StatusStoreException(
                            left.size() + " statuses not recorded: DynamoDB cancelled the " + "transaction " + attempt
                                    + " times: " + cancelled.getMessage(),
                            cancelled);
                }
                left = again;
            } catch (SdkException e) {
                throw new StatusStoreException(left.size() + " statuses not recorded: " + e.getMessage(), e);
            }
        }
    }

    /**
     * What is stored, final or not, is replaced, one unconditional update per message rather than {@link #recordNew}'s
     * batch of puts: a put would drop the owner, and with it the sender's right to read the status of its redriven
     * message. Redrives are rare operator actions.
     *
     * @throws StatusStoreException when DynamoDB cannot be reached or refuses a write
     */
    @Override
    public void reopen(List<StatusUpdate> updates) {
        updates.forEach(update -> write(update, true));
    }

    /**
     * One BatchWriteItem per 25 messages instead of a conditional write each: the API records a whole SendMessageBatch
     * as queued this way, before sending it, so its answer can name ids whose status is already readable, at one
     * DynamoDB call per SQS call.
     *
     * @throws StatusStoreException when DynamoDB cannot be reached or keeps some items unprocessed
     */
    @Override
    public void recordNew(List<StatusUpdate> updates) {
        for (int from = 0; from < updates.size(); from += MAX_BATCH_WRITE) {
            List<WriteRequest> writes = new ArrayList<>();
            for (StatusUpdate update : updates.subList(from, Math.min(updates.size(), from + MAX_BATCH_WRITE))) {
                writes.add(WriteRequest.builder()
                        .putRequest(p -> p.item(item(update)))
                        .build());
            }
            Map<String, List<WriteRequest>> pending = Map.of(table, writes);
            try {
                for (int attempt = 0; !pending.isEmpty() && attempt < 3; attempt++) {
                    Map<String, List<WriteRequest>> request = pending;
                    pending =
                            dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                }
            } catch (SdkException e) {
                throw new StatusStoreException(updates.size() + " new statuses not recorded: " + e.getMessage(), e);
            }
            if (!pending.isEmpty()) {
                throw new StatusStoreException(
                        pending.get(table).size() + " new statuses not recorded: DynamoDB kept "
                                + "returning them unprocessed (throttled)",
                        null);
            }
        }
    }

    private Map<String, AttributeValue> item(StatusUpdate update) {
        Map<String, AttributeValue> item = new HashMap<>(fields(update.state()));
        item.put(StatusTable.KEY, AttributeValue.fromS(PREFIX + update.messageId()));
        item.put(STATE, AttributeValue.fromS(update.state().name()));
        item.put(AT, AttributeValue.fromN(Long.toString(update.at().toEpochMilli())));
        item.put(FINAL, AttributeValue.fromBool(update.state().isFinal()));
        item.put(
                StatusTable.EXPIRES_AT,
                AttributeValue.fromN(Long.toString(update.at().plus(ttl).getEpochSecond())));
        if (update.owner() != null) {
            item.put(OWNER, AttributeValue.fromS(update.owner()));
        }
        if (update.senderDomain() != null && !update.senderDomain().isEmpty()) {
            item.put(SENDER_DOMAIN, AttributeValue.fromS(update.senderDomain()));
        }
        if (update.callbackUrl() != null) {
            item.put(CALLBACK_URL, AttributeValue.fromS(update.callbackUrl()));
        }
        item.put(HISTORY, AttributeValue.fromL(List.of(step(update))));
        return item;
    }

    /** One entry of the history: the state, its time and its fields, as the item itself holds them. */
    private static AttributeValue step(StatusUpdate update) {
        Map<String, AttributeValue> step = new HashMap<>(fields(update.state()));
        step.put(STATE, AttributeValue.fromS(update.state().name()));
        step.put(AT, AttributeValue.fromN(Long.toString(update.at().toEpochMilli())));
        return AttributeValue.fromM(step);
    }

    /**
     * One conditional UpdateItem when the rules let the step's state in (or it has none), else a second one that only
     * appends it to the feedback history; both refuse an event id the item already holds, which is what makes a
     * repeated event change nothing. See {@link StatusStore#recordFeedback} for the rules.
     *
     * @throws StatusStoreException when DynamoDB cannot be reached or refuses the write
     */
    @Override
    public FeedbackOutcome recordFeedback(FeedbackStep step) {
        try {
            if (step.newState() != null) {
                try {
                    Map<String, AttributeValue> updated = feedbackWrite(step, true);
                    return new FeedbackOutcome.Recorded(true, string(updated, SENDER_DOMAIN));
                } catch (ConditionalCheckFailedException refused) {
                    Map<String, AttributeValue> old = refused.hasItem() ? refused.item() : Map.of();
                    if (seen(old, step.eventId())) {
                        return new FeedbackOutcome.AlreadyRecorded(string(old, SENDER_DOMAIN));
                    }
                    // A worse or unrelated state is stored: the step only joins the history, below.
                }
            }
            try {
                Map<String, AttributeValue> updated = feedbackWrite(step, false);
                return new FeedbackOutcome.Recorded(false, string(updated, SENDER_DOMAIN));
            } catch (ConditionalCheckFailedException refused) {
                Map<String, AttributeValue> old = refused.hasItem() ? refused.item() : Map.of();
                return old.isEmpty()
                        ? new FeedbackOutcome.NoSuchMessage()
                        : new FeedbackOutcome.AlreadyRecorded(string(old, SENDER_DOMAIN));
            }
        } catch (SdkException e) {
            throw new StatusStoreException(
                    "feedback " + step.type() + " of " + step.messageId() + " not recorded: " + e.getMessage(), e);
        }
    }

    /**
     * @param changeState also move the message to the step's new state, on the conditions of
     *     {@link StatusStore#recordFeedback}; otherwise only append it to an existing item's feedback
     * @return the item as written
     * @throws ConditionalCheckFailedException carrying the stored item, when the conditions refused the write
     */
    private Map<String, AttributeValue> feedbackWrite(FeedbackStep step, boolean changeState) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        names.put("#pk", StatusTable.KEY);
        names.put("#" + FEEDBACK, FEEDBACK);
        names.put("#" + FEEDBACK_EVENTS, FEEDBACK_EVENTS);
        values.put(":noFeedback", AttributeValue.fromL(List.of()));
        values.put(":feedbackStep", AttributeValue.fromL(List.of(feedbackStep(step))));
        values.put(":eventId", AttributeValue.fromS(step.eventId()));
        values.put(":eventIds", AttributeValue.fromSs(List.of(step.eventId())));
        set.add("#" + FEEDBACK + " = list_append(if_not_exists(#" + FEEDBACK + ", :noFeedback), :feedbackStep)");
        String condition = "NOT contains(#" + FEEDBACK_EVENTS + ", :eventId)";
        if (changeState) {
            DeliveryState state = step.newState();
            StatusUpdate update = new StatusUpdate(step.messageId(), state, step.at());
            put(set, names, values, STATE, AttributeValue.fromS(state.name()));
            put(
                    set,
                    names,
                    values,
                    AT,
                    AttributeValue.fromN(Long.toString(step.at().toEpochMilli())));
            put(set, names, values, FINAL, AttributeValue.fromBool(true));
            put(
                    set,
                    names,
                    values,
                    StatusTable.EXPIRES_AT,
                    AttributeValue.fromN(Long.toString(
                            later(step.at(), clock.instant()).plus(ttl).getEpochSecond())));
            Map<String, AttributeValue> fields = fields(state);
            for (String attribute : OPTIONAL) {
                if (fields.containsKey(attribute)) {
                    put(set, names, values, attribute, fields.get(attribute));
                } else {
                    names.put("#" + attribute, attribute);
                    remove.add("#" + attribute);
                }
            }
            names.put("#" + HISTORY, HISTORY);
            values.put(":noHistory", AttributeValue.fromL(List.of()));
            values.put(":step", AttributeValue.fromL(List.of(step(update))));
            set.add("#" + HISTORY + " = list_append(if_not_exists(#" + HISTORY + ", :noHistory), :step)");
            values.put(":notFinal", AttributeValue.fromBool(false));
            values.put(":delivered", AttributeValue.fromS(new DeliveryState.Delivered(null, null).name()));
            String replaceable =
                    "attribute_not_exists(#pk) OR #" + FINAL + " = :notFinal OR #" + STATE + " = :delivered";
            String bounced = new DeliveryState.Bounced(false, null, null).name();
            if (state instanceof DeliveryState.Complained) {
                values.put(":bounced", AttributeValue.fromS(bounced));
                replaceable += " OR #" + STATE + " = :bounced";
            } else if (state instanceof DeliveryState.Bounced b && b.permanent()) {
                values.put(":bounced", AttributeValue.fromS(bounced));
                values.put(":soft", AttributeValue.fromS(SOFT));
                names.put("#" + KIND, KIND);
                replaceable += " OR (#" + STATE + " = :bounced AND #" + KIND + " = :soft)";
            }
            condition += " AND (" + replaceable + ")";
        } else {
            condition = "attribute_exists(#pk) AND " + condition;
        }
        String expression = "SET " + String.join(", ", set) + " ADD #" + FEEDBACK_EVENTS + " :eventIds"
                + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        String finalCondition = condition;
        return dynamo.updateItem(b -> b.tableName(table)
                        .key(Map.of(StatusTable.KEY, AttributeValue.fromS(PREFIX + step.messageId())))
                        .updateExpression(expression)
                        .conditionExpression(finalCondition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .attributes();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static boolean seen(Map<String, AttributeValue> item, String eventId) {
        AttributeValue ids = item.get(FEEDBACK_EVENTS);
        return ids != null && ids.hasSs() && ids.ss().contains(eventId);
    }

    private static AttributeValue feedbackStep(FeedbackStep step) {
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put(TYPE, AttributeValue.fromS(step.type()));
        entry.put(EVENT_ID, AttributeValue.fromS(step.eventId()));
        entry.put(AT, AttributeValue.fromN(Long.toString(step.at().toEpochMilli())));
        text(entry, PROVIDER, step.source());
        text(entry, DETAIL, step.detail());
        return AttributeValue.fromM(entry);
    }

    /** @throws StatusStoreException when DynamoDB cannot be reached */
    @Override
    public Timeline timeline(String messageId) {
        Map<String, AttributeValue> item = read(messageId);
        if (item == null) {
            return new Timeline(List.of(), List.of());
        }
        AttributeValue entries = item.get(FEEDBACK);
        List<FeedbackStep> feedback = entries == null || !entries.hasL()
                ? List.of()
                : entries.l().stream()
                        .map(AttributeValue::m)
                        .map(e -> new FeedbackStep(
                                messageId,
                                string(e, EVENT_ID),
                                string(e, TYPE),
                                string(e, PROVIDER),
                                string(e, DETAIL),
                                Instant.ofEpochMilli(Long.parseLong(e.get(AT).n())),
                                null))
                        .toList();
        return new Timeline(states(messageId, item), feedback);
    }

    /** @throws StatusStoreException when DynamoDB cannot be reached */
    @Override
    public List<StatusUpdate> history(String messageId) {
        Map<String, AttributeValue> item = read(messageId);
        if (item == null) {
            return List.of();
        }
        return states(messageId, item);
    }

    private static List<StatusUpdate> states(String messageId, Map<String, AttributeValue> item) {
        AttributeValue steps = item.get(HISTORY);
        if (steps == null || !steps.hasL() || steps.l().isEmpty()) {
            // Recorded before histories were kept: the newest state is all there is.
            return List.of(current(messageId, item));
        }
        String owner = string(item, OWNER);
        String callbackUrl = string(item, CALLBACK_URL);
        return steps.l().stream()
                .map(s -> new StatusUpdate(
                        messageId,
                        state(s.m()),
                        Instant.ofEpochMilli(Long.parseLong(s.m().get(AT).n())),
                        owner,
                        callbackUrl))
                .toList();
    }

    /** @throws StatusStoreException when DynamoDB cannot be reached */
    @Override
    public Optional<StatusUpdate> find(String messageId) {
        Map<String, AttributeValue> item = read(messageId);
        return item == null ? Optional.empty() : Optional.of(current(messageId, item));
    }

    /** The message's item, or null when there is none or it expired (DynamoDB deletes late). */
    private Map<String, AttributeValue> read(String messageId) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table)
                            .consistentRead(true)
                            .key(Map.of(StatusTable.KEY, AttributeValue.fromS(PREFIX + messageId))))
                    .item();
        } catch (SdkException e) {
            throw new StatusStoreException("status of " + messageId + " cannot be read: " + e.getMessage(), e);
        }
        return item == null || item.isEmpty() || expired(item) ? null : item;
    }

    private static StatusUpdate current(String messageId, Map<String, AttributeValue> item) {
        return new StatusUpdate(
                messageId,
                state(item),
                Instant.ofEpochMilli(Long.parseLong(item.get(AT).n())),
                string(item, OWNER),
                string(item, CALLBACK_URL),
                string(item, SENDER_DOMAIN));
    }

    /**
     * Notes on the message's item that its callback was given up on; a message whose item expired or never existed gets
     * none (nothing to read it with).
     *
     * @throws StatusStoreException when DynamoDB cannot be reached
     */
    @Override
    public void recordCallbackGivenUp(String messageId, String note) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(StatusTable.KEY, AttributeValue.fromS(PREFIX + messageId)))
                    .updateExpression("SET #failure = :failure")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#failure", CALLBACK_FAILURE, "#pk", StatusTable.KEY))
                    .expressionAttributeValues(Map.of(":failure", AttributeValue.fromS(note))));
        } catch (ConditionalCheckFailedException gone) {
            log.debug("callback failure of {} not noted: the message has no status", messageId);
        } catch (SdkException e) {
            throw new StatusStoreException("callback failure of " + messageId + " not noted: " + e.getMessage(), e);
        }
    }

    /** @throws StatusStoreException when DynamoDB cannot be reached */
    @Override
    public Optional<String> callbackGivenUp(String messageId) {
        Map<String, AttributeValue> item = read(messageId);
        return Optional.ofNullable(item == null ? null : string(item, CALLBACK_FAILURE));
    }

    private boolean expired(Map<String, AttributeValue> item) {
        AttributeValue expires = item.get(StatusTable.EXPIRES_AT);
        return expires != null && Long.parseLong(expires.n()) <= clock.instant().getEpochSecond();
    }

    private static void put(
            List<String> set,
            Map<String, String> names,
            Map<String, AttributeValue> values,
            String attribute,
            AttributeValue value) {
        names.put("#" + attribute, attribute);
        values.put(":" + attribute, value);
        set.add("#" + attribute + " = :" + attribute);
    }

    private static Map<String, AttributeValue> fields(DeliveryState state) {
        Map<String, AttributeValue> fields = new HashMap<>();
        switch (state) {
            case DeliveryState.Queued q -> {}
            case DeliveryState.Sending s -> text(fields, PROVIDER, s.provider());
            case DeliveryState.Delivered d -> {
                text(fields, PROVIDER, d.provider());
                text(fields, PROVIDER_MESSAGE_ID, d.providerMessageId());
            }
            case DeliveryState.Retrying r -> {
                fields.put(ATTEMPTS, AttributeValue.fromN(Integer.toString(r.attempts())));
                text(fields, DETAIL, r.lastError());
            }
            case DeliveryState.Rejected r -> text(fields, DETAIL, r.reason());
            case DeliveryState.DeadLettered d -> text(fields, DETAIL, d.reason());
            case DeliveryState.Bounced b -> {
                text(fields, PROVIDER, b.source());
                text(fields, DETAIL, b.diagnostic());
                text(fields, KIND, b.permanent() ? "hard" : SOFT);
            }
            case DeliveryState.Complained c -> {
                text(fields, PROVIDER, c.source());
                text(fields, DETAIL, c.feedbackType());
            }
            case DeliveryState.Suppressed x -> text(fields, DETAIL, x.reason());
        }
        return fields;
    }

    /** DynamoDB refuses empty strings in some places and null everywhere: absent means absent. */
    private static void text(Map<String, AttributeValue> fields, String attribute, String value) {
        if (value != null && !value.isEmpty()) {
            fields.put(attribute, AttributeValue.fromS(value));
        }
    }

    private static DeliveryState state(Map<String, AttributeValue> item) {
        String provider = string(item, PROVIDER);
        String detail = string(item, DETAIL);
        return switch (item.get(STATE).s()) {
            case "queued" -> new DeliveryState.Queued();
            case "sending" -> new DeliveryState.Sending(provider);
            case "delivered" -> new DeliveryState.Delivered(provider, string(item, PROVIDER_MESSAGE_ID));
            case "retrying" ->
                new DeliveryState.Retrying(
                        item.containsKey(ATTEMPTS)
                                ? Integer.parseInt(item.get(ATTEMPTS).n())
                                : 0,
                        detail);
            case "rejected" -> new DeliveryState.Rejected(detail);
            case "dead-lettered" -> new DeliveryState.DeadLettered(detail);
            case "bounced" -> new DeliveryState.Bounced(!SOFT.equals(string(item, KIND)), detail, provider);
            case "complained" -> new DeliveryState.Complained(detail, provider);
            case "suppressed" -> new DeliveryState.Suppressed(detail);
            // Written by a newer Herald: say so rather than guess what it means.
            default ->
                throw new StatusStoreException(
                        "status of " + string(item, StatusTable.KEY) + " has state '"
                                + item.get(STATE).s() + "', which this Herald does not know",
                        null);
        };
    }

    private static String string(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? null : value.s();
    }
}
