package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.control.ControlStore;
import io.herald.core.control.Pause;
import io.herald.core.control.PauseScope;
import io.herald.core.control.PauseTargets;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' pause switches, for admin keys (routes declared {@link ApiRole#ADMIN}): {@code GET /v1/admin/pauses}
 * lists them, {@code POST /v1/admin/pauses} with {@code {"scope":"channel|provider","name":"...","reason":"..."}} turns
 * one on (the reason is optional; the first pause of a scope stays, with its reason), {@code DELETE
 * /v1/admin/pauses/{scope}/{name}} turns it off (turning off what is not on does nothing). Each answers with the pauses
 * now in force. Names Herald does not know are refused, naming the field; every pipeline instance obeys within its
 * refresh interval and one iteration.
 */
final class PausesHandler {

    private static final Logger log = LoggerFactory.getLogger(PausesHandler.class);
    private static final String EXPECTED = "a JSON object {\"scope\": \"channel\" or \"provider\", \"name\": \"...\", "
            + "\"reason\": \"...\" (optional)}";

    /** One pause as the API shows it (the dashboard's overview shows the same). */
    record PauseView(String scope, String name, String since, String by, String reason) {
        static PauseView of(Pause pause) {
            return new PauseView(
                    pause.scope().kind().label(),
                    pause.scope().name(),
                    pause.since().toString(),
                    pause.by(),
                    pause.reason());
        }
    }

    record Pauses(List<PauseView> pauses) {}

    private final ControlStore store;
    private final Intake intake;
    private final ApiJson json;

    /** @param store the control store, or null when this API has none (every request then gets 503) */
    PausesHandler(ControlStore store, Intake intake, ApiJson json) {
        this.store = store;
        this.intake = intake;
        this.json = json;
    }

    void list(Context ctx) {
        json.send(ctx, withStore(() -> json.reply(HttpStatus.OK.getCode(), current())));
    }

    void pause(Context ctx) throws IOException {
        Intake.Body body = intake.readObject(ctx, EXPECTED);
        if (body.refusal() != null) {
            json.send(ctx, body.refusal());
            return;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        PauseScope scope = scope(text(body.object(), "scope", errors), text(body.object(), "name", errors), errors);
        String reason = reason(body.object(), errors);
        if (scope == null || !errors.isEmpty()) {
            json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), errors));
            return;
        }
        String by = RouteGuard.caller(ctx).name();
        json.send(ctx, withStore(() -> {
            store.pause(scope, by, reason);
            log.info("{} paused by API key '{}'{}", scope, by, reason.isEmpty() ? "" : ": " + reason);
            return json.reply(HttpStatus.OK.getCode(), current());
        }));
    }

    void resume(Context ctx) {
        Map<String, String> errors = new LinkedHashMap<>();
        PauseScope scope = scope(ctx.pathParam("scope"), ctx.pathParam("name"), errors);
        if (scope == null) {
            json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), errors));
            return;
        }
        json.send(ctx, withStore(() -> {
            store.resume(scope);
            log.info("{} resumed by API key '{}'", scope, RouteGuard.caller(ctx).name());
            return json.reply(HttpStatus.OK.getCode(), current());
        }));
    }

    private Pauses current() {
        return new Pauses(store.pauses().stream().map(PauseView::of).toList());
    }

    private interface Work {
        Reply run();
    }

    private Reply withStore(Work work) {
        if (store == null) {
            return json.error(
                    HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                    "Pauses are not available: this API has no " + "status table");
        }
        try {
            return work.run();
        } catch (RuntimeException e) {
            log.warn("control store failed, answering 503: {}", e.getMessage());
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
        return value.asText();
    }

    /** The optional reason, stripped; empty when absent, null with the problem in {@code errors}. */
    private static String reason(JsonNode object, Map<String, String> errors) {
        JsonNode value = object.get("reason");
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            errors.put("reason", "must be a string");
            return null;
        }
        String reason = value.asText().strip();
        Optional<String> problem = Pause.reasonProblem(reason);
        if (problem.isPresent()) {
            errors.put("reason", problem.get());
            return null;
        }
        return reason;
    }

    /** @return the scope, or null with the problems in {@code errors} */
    private static PauseScope scope(String kind, String name, Map<String, String> errors) {
        PauseScope scope = null;
        if (kind != null) {
            try {
                scope = PauseScope.of(kind, name == null ? "-" : name);
            } catch (IllegalArgumentException e) {
                errors.put("scope", "must be channel or provider");
            }
        }
        if (scope == null || name == null) {
            return null;
        }
        Optional<String> unknown = PauseTargets.problem(scope);
        if (unknown.isPresent()) {
            errors.put("name", unknown.get());
            return null;
        }
        return scope;
    }
}
