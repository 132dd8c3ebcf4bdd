package io.herald.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.FeedbackStep;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusUpdate;
import io.herald.core.status.Timeline;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/notifications/{id}}: where a message is. The answer carries what each state knows: the provider and
 * its message id once delivered, attempts and the last error while retrying, the reason when rejected or dead-lettered;
 * {@code final} says whether it can still change ({@code delivered} can, once: a provider's later bounce or complaint
 * replaces it). {@code history} lists every state with its time; {@code feedback} what the providers reported after
 * accepting it (deliveries, deferrals, bounces, complaints, drops), each with its time. A key reads the messages it
 * sent; admin keys read every message.
 */
final class StatusHandler implements Handler {

    private static final Logger log = LoggerFactory.getLogger(StatusHandler.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * One provider report about the message after it accepted it.
     *
     * @param type {@code delivery}, {@code deferral}, {@code soft-bounce}, {@code hard-bounce}, {@code complaint} or
     *     {@code dropped}
     * @param detail the provider's words (a diagnostic, a complaint's kind, a reason), when it gave any
     */
    record Feedback(String type, String at, String provider, String detail) {

        static Feedback of(FeedbackStep step) {
            return new Feedback(step.type(), step.at().toString(), step.source(), step.detail());
        }
    }

    /**
     * @param history every state it went through, oldest first; null inside a history's own entries
     * @param feedback the providers' reports after accepting it, oldest first; null inside a history's entries, and
     *     when there were none
     */
    record Status(
            String id,
            String state,
            @JsonProperty("final") boolean settled,
            String at,
            String provider,
            String providerMessageId,
            Integer attempts,
            String lastError,
            String reason,
            List<Status> history,
            List<Feedback> feedback) {

        Status(
                String id,
                String state,
                boolean settled,
                String at,
                String provider,
                String providerMessageId,
                Integer attempts,
                String lastError,
                String reason) {
            this(id, state, settled, at, provider, providerMessageId, attempts, lastError, reason, null, null);
        }

        Status withTimeline(Timeline timeline) {
            return new Status(
                    id,
                    state,
                    settled,
                    at,
                    provider,
                    providerMessageId,
                    attempts,
                    lastError,
                    reason,
                    timeline.states().stream().map(Status::of).toList(),
                    timeline.feedback().isEmpty()
                            ? null
                            : timeline.feedback().stream().map(Feedback::of).toList());
        }

        static Status of(StatusUpdate update) {
            String id = update.messageId();
            String at = update.at().toString();
            DeliveryState state = update.state();
            return switch (state) {
                case DeliveryState.Queued q -> new Status(id, state.name(), false, at, null, null, null, null, null);
                case DeliveryState.Sending s ->
                    new Status(id, state.name(), false, at, s.provider(), null, null, null, null);
                case DeliveryState.Delivered d ->
                    new Status(id, state.name(), true, at, d.provider(), d.providerMessageId(), null, null, null);
                case DeliveryState.Retrying r ->
                    new Status(id, state.name(), false, at, null, null, r.attempts(), r.lastError(), null);
                case DeliveryState.Rejected r ->
                    new Status(id, state.name(), true, at, null, null, null, null, r.reason());
                case DeliveryState.DeadLettered d ->
                    new Status(id, state.name(), true, at, null, null, null, null, d.reason());
                case DeliveryState.Bounced b ->
                    new Status(
                            id,
                            state.name(),
                            true,
                            at,
                            b.source(),
                            null,
                            null,
                            null,
                            (b.permanent() ? "hard bounce: " : "soft bounce: ") + b.diagnostic());
                case DeliveryState.Complained c ->
                    new Status(id, state.name(), true, at, c.source(), null, null, null, c.feedbackType());
                case DeliveryState.Suppressed x ->
                    new Status(id, state.name(), true, at, null, null, null, null, x.reason());
            };
        }
    }

    private final StatusStore store;
    private final Intake intake;
    private final ApiJson json;

    StatusHandler(StatusStore store, Intake intake, ApiJson json) {
        this.store = store;
        this.intake = intake;
        this.json = json;
    }

    @Override
    public void handle(Context ctx) {
        json.send(ctx, answer(ctx));
    }

    private Reply answer(Context ctx) {
        Caller caller = RouteGuard.caller(ctx);
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            return json.error(
                    HttpStatus.BAD_REQUEST.getCode(),
                    "'" + abbreviate(id) + "' is not a notification id (a UUID as returned when it was sent)");
        }
        Timeline found;
        try {
            found = store.timeline(id);
        } catch (RuntimeException e) {
            log.warn("status of {} cannot be read, answering 503: {}", id, e.getMessage());
            return intake.unavailable();
        }
        // Another key's message answers exactly as a missing one, so ids cannot be probed for existence.
        return found.states().stream()
                .reduce((older, newer) -> newer)
                .filter(newest -> caller.isAdmin() || caller.name().equals(newest.owner()))
                .map(newest ->
                        json.reply(HttpStatus.OK.getCode(), Status.of(newest).withTimeline(found)))
                .orElseGet(() -> json.error(
                        HttpStatus.NOT_FOUND.getCode(),
                        "No notification with id " + id
                                + " (statuses are kept for a limited time after their last change)"));
    }

    static String abbreviate(String text) {
        String printable = text.codePoints()
                .filter(c -> c >= 0x20 && c != 0x7F)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
