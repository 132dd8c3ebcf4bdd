package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.control.Pause;
import io.herald.core.feedback.Suppression;
import io.herald.core.feedback.Suppressions;
import io.herald.core.receiver.EmailAddresses;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one suppression list, for admin keys (routes declared {@link ApiRole#ADMIN}): {@code GET
 * /v1/admin/suppressions[?address=&limit=]} lists entries newest first, {@code POST /v1/admin/suppressions} with
 * {@code {"address":"...","reason":"..."}} stops all email to the address (201, the entry; its source is
 * {@code admin:<key name>}), {@code DELETE /v1/admin/suppressions/{address}} removes every entry of the address (204;
 * 404 when it had none). Pipelines see a change with their next read of that address's emails.
 */
final class SuppressionsHandler {

    private static final Logger log = LoggerFactory.getLogger(SuppressionsHandler.class);
    private static final String EXPECTED = "a JSON object {\"address\": \"user@example.org\", \"reason\": \"...\"}";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** One entry as the API shows it. */
    record SuppressionView(String address, String category, String reason, String source, String at) {
        static SuppressionView of(Suppression s) {
            return new SuppressionView(s.address(), s.category(), s.reason(), s.source(), s.at().toString());
        }
    }

    record SuppressionList(List<SuppressionView> suppressions) {}

    private final Suppressions store;
    private final Intake intake;
    private final ApiJson json;
    private final Clock clock;

    /** @param store the suppression list, or null when this API has none (every request then gets 503) */
    SuppressionsHandler(Suppressions store, Intake intake, ApiJson json, Clock clock) {
        this.store = store;
        this.intake = intake;
        this.json = json;
        this.clock = clock;
    }

    void list(Context ctx) {
        Map<String, String> errors = new LinkedHashMap<>();
        String address = ctx.queryParam("address");
        if (address != null && address.isBlank()) {
            address = null;
        }
        if (address != null) {
            addressProblem(address).ifPresent(p -> errors.put("address", p));
        }
        int limit = limit(ctx.queryParam("limit"), errors);
        if (!errors.isEmpty()) {
            json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), errors));
            return;
        }
        String which = address;
        json.send(
                ctx,
                withStore(() -> json.reply(
                        HttpStatus.OK.getCode(),
                        new SuppressionList(store.list(which, limit).stream()
                                .map(SuppressionView::of)
                                .toList()))));
    }

    void add(Context ctx) throws IOException {
        Intake.Body body = intake.readObject(ctx, EXPECTED);
        if (body.refusal() != null) {
            json.send(ctx, body.refusal());
            return;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String address = text(body.object(), "address", errors);
        if (address != null) {
            addressProblem(address).ifPresent(p -> errors.put("address", p));
        }
        String reason = text(body.object(), "reason", errors);
        if (reason != null) {
            Pause.reasonProblem(reason).ifPresent(p -> errors.put("reason", p));
        }
        if (!errors.isEmpty()) {
            json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), errors));
            return;
        }
        String by = RouteGuard.caller(ctx).name();
        Suppression entry =
                new Suppression(address, Suppression.ALL_CATEGORIES, reason, "admin:" + by, clock.instant());
        json.send(ctx, withStore(() -> {
            store.add(entry);
            log.info("{} suppressed by API key '{}': {}", entry.address(), by, reason);
            return json.reply(HttpStatus.CREATED.getCode(), SuppressionView.of(entry));
        }));
    }

    void remove(Context ctx) {
        String address = ctx.pathParam("address");
        Optional<String> problem = addressProblem(address);
        if (problem.isPresent()) {
            json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), Map.of("address", problem.get())));
            return;
        }
        Reply reply = withStore(() -> {
            if (!store.remove(address)) {
                return json.error(
                        HttpStatus.NOT_FOUND.getCode(), "No suppression of " + Suppression.normalize(address));
            }
            log.info(
                    "suppression of {} removed by API key '{}'",
                    Suppression.normalize(address),
                    RouteGuard.caller(ctx).name());
            return null;
        });
        if (reply != null) {
            json.send(ctx, reply);
        } else {
            ctx.attribute(ApiJson.ANSWERED, Boolean.TRUE);
            ctx.status(HttpStatus.NO_CONTENT);
        }
    }

    private static Optional<String> addressProblem(String address) {
        return EmailAddresses.problem(address.strip()).map(p -> "must be an email address: " + p);
    }

    private interface Work {
        Reply run();
    }

    private Reply withStore(Work work) {
        if (store == null) {
            return json.error(
                    HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                    "Suppressions are not available: this API has no status table");
        }
        try {
            return work.run();
        } catch (RuntimeException e) {
            log.warn("suppression list failed, answering 503: {}", e.getMessage());
            return intake.unavailable();
        }
    }

    private static String text(JsonNode object, String field, Map<String, String> errors) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            errors.put(field, "is required");
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            errors.put(field, "must be a non-empty string");
            return null;
        }
        return value.asText().strip();
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
}
