package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.sqs.DeadLetter;
import io.herald.core.sqs.DeadLetterFilter;
import io.herald.core.sqs.DeadLetterQueue;
import io.herald.core.sqs.RedriveResult;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter queues for admin keys, through the same {@link DeadLetterQueue} as {@code herald dlq}: {@code GET
 * /v1/admin/dead-letters} lists them (oldest first, with reason, without body; {@code channel}, {@code provider},
 * {@code reason} and {@code limit} narrow it), {@code GET /v1/admin/dead-letters/{id}} shows one with its body, and
 * {@code POST /v1/admin/dead-letters/redrive} moves the ones the filter selects back to their queues ({@code "dryRun":
 * true} only counts them) and answers what moved.
 */
final class DeadLettersHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLettersHandler.class);

    /** As {@code herald dlq list}: at most this many unless asked for fewer. */
    static final int DEFAULT_LIMIT = 100;

    static final int MAX_LIMIT = 1000;
    private static final Set<String> REDRIVE_FIELDS = Set.of("channel", "provider", "reason", "dryRun");
    private static final String EXPECTED = "a JSON object {\"channel\", \"provider\", \"reason\": optional filters, "
            + "\"dryRun\": true to only count}";

    /** One dead letter in a list: everything but the body (as {@code herald dlq list --json}). */
    record Listed(
            String id,
            String messageId,
            String channel,
            String target,
            String provider,
            String reason,
            String queue,
            String deadLetterQueue,
            String deadLetteredAt) {
        static Listed of(DeadLetter l) {
            return new Listed(
                    l.id(),
                    l.messageId(),
                    l.channel(),
                    l.target(),
                    l.provider(),
                    l.reason(),
                    l.queue(),
                    l.deadLetterQueue(),
                    l.deadLetteredAt().toString());
        }
    }

    /** @param more whether the limit cut the list short */
    record Listing(List<Listed> deadLetters, boolean more) {}

    record Shown(
            String id,
            String messageId,
            String channel,
            String target,
            String provider,
            String reason,
            String queue,
            String deadLetterQueue,
            String deadLetteredAt,
            String body) {
        static Shown of(DeadLetter l) {
            return new Shown(
                    l.id(),
                    l.messageId(),
                    l.channel(),
                    l.target(),
                    l.provider(),
                    l.reason(),
                    l.queue(),
                    l.deadLetterQueue(),
                    l.deadLetteredAt().toString(),
                    l.body());
        }
    }

    private final DeadLetterQueue queue;
    private final Intake intake;
    private final ApiJson json;

    DeadLettersHandler(DeadLetterQueue queue, Intake intake, ApiJson json) {
        this.queue = queue;
        this.intake = intake;
        this.json = json;
    }

    void list(Context ctx) {
        Map<String, String> errors = new LinkedHashMap<>();
        DeadLetterFilter filter =
                new DeadLetterFilter(query(ctx, "channel"), query(ctx, "provider"), query(ctx, "reason"));
        int limit = limit(ctx.queryParam("limit"), errors);
        if (!errors.isEmpty()) {
            json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), errors));
            return;
        }
        json.send(ctx, withQueue("list", () -> {
            // One more than asked, to tell the page whether there are more.
            List<DeadLetter> found = queue.list(filter, limit + 1);
            return json.reply(
                    HttpStatus.OK.getCode(),
                    new Listing(found.stream().limit(limit).map(Listed::of).toList(), found.size() > limit));
        }));
    }

    void show(Context ctx) {
        String id = ctx.pathParam("id").strip();
        json.send(
                ctx,
                withQueue(
                        "show",
                        () -> queue.show(id)
                                .map(l -> json.reply(HttpStatus.OK.getCode(), Shown.of(l)))
                                .orElseGet(() -> json.error(
                                        HttpStatus.NOT_FOUND.getCode(),
                                        "No dead-lettered message with id '" + StatusHandler.abbreviate(id) + "'"))));
    }

    void redrive(Context ctx) throws IOException {
        Intake.Body body = intake.readObject(ctx, EXPECTED);
        if (body.refusal() != null) {
            json.send(ctx, body.refusal());
            return;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>(ApiJson.fieldNames(body.object()));
        unknown.removeAll(REDRIVE_FIELDS);
        unknown.forEach(f -> errors.put(f, "is not a redrive field; expected channel, provider, reason or dryRun"));
        DeadLetterFilter filter = new DeadLetterFilter(
                text(body.object(), "channel", errors),
                text(body.object(), "provider", errors),
                text(body.object(), "reason", errors));
        JsonNode dry = body.object().get("dryRun");
        if (dry != null && !dry.isBoolean() && !dry.isNull()) {
            errors.put("dryRun", "must be true or false");
        }
        if (!errors.isEmpty()) {
            json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), errors));
            return;
        }
        boolean dryRun = dry != null && dry.asBoolean();
        String by = RouteGuard.caller(ctx).name();
        json.send(ctx, withQueue("redrive", () -> {
            RedriveResult result = queue.redrive(filter, dryRun, progress -> {});
            if (!dryRun) {
                log.info(
                        "dead letters redriven by API key '{}': {} moved of {} examined ({} refused, {} doubled, "
                                + "{} returned), filter {}",
                        by,
                        result.moved(),
                        result.examined(),
                        result.failed(),
                        result.doubled(),
                        result.returned(),
                        filter);
            }
            return json.reply(HttpStatus.OK.getCode(), result);
        }));
    }

    private interface Work {
        Reply run();
    }

    private Reply withQueue(String what, Work work) {
        try {
            return work.run();
        } catch (RuntimeException e) {
            // SQS did not answer; its message may name an endpoint, so only the log has it.
            log.warn("dead letters: {} failed, answering 503: {}", what, e.getMessage());
            return intake.unavailable();
        }
    }

    private static String query(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.strip();
    }

    private static int limit(String given, Map<String, String> errors) {
        if (given == null || given.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(given.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        errors.put("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        return DEFAULT_LIMIT;
    }

    private static String text(JsonNode object, String field, Map<String, String> errors) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.put(field, "must be a string");
            return null;
        }
        return value.asText().isBlank() ? null : value.asText().strip();
    }
}
