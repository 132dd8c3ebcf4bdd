package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.feedback.FeedbackEvent;
import io.herald.core.provider.sendgrid.SendGridConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One event of a SendGrid Event Webhook batch, read into Herald's {@link FeedbackEvent} or set aside. The five delivery
 * outcomes that matter are mapped; engagement events (open, click), {@code processed} and the unsubscribe events are
 * {@link Ignored}: Herald's own RFC 8058 link is how people unsubscribe from Herald's mail, and SendGrid's subscription
 * tracking (which would send those) knows nothing of Herald's categories.
 */
sealed interface SendGridEvent {

    /** The name events from SendGrid are recorded under ({@link FeedbackEvent#source()}). */
    String SOURCE = "sendgrid";

    /** Event types SendGrid documents; anything else is counted as {@code other}, so metric labels stay bounded. */
    Set<String> KNOWN_TYPES = Set.of(
            "processed",
            "dropped",
            "delivered",
            "deferred",
            "bounce",
            "open",
            "click",
            "spamreport",
            "unsubscribe",
            "group_unsubscribe",
            "group_resubscribe",
            "account_status_change");

    /** Longest diagnostic kept: SMTP replies can be long, a status page needs the gist. */
    int MAX_DIAGNOSTIC_CHARS = 500;

    /** @param type the event's type as a bounded metric label */
    String type();

    /** An event Herald records. */
    record Mapped(String type, FeedbackEvent event) implements SendGridEvent {}

    /** An event of a type Herald does not act on; counted, then dropped. */
    record Ignored(String type) implements SendGridEvent {}

    /** An event that lacks what it must have; {@code problem} names the field, never the value. */
    record Malformed(String type, String problem) implements SendGridEvent {}

    /** @param fallbackAt when an event carries no usable {@code timestamp}: the webhook call's signed time */
    static SendGridEvent read(JsonNode node, Instant fallbackAt) {
        if (node == null || !node.isObject()) {
            return new Malformed("other", "is not a JSON object");
        }
        String name = text(node, "event");
        String type = name != null && KNOWN_TYPES.contains(name) ? name : "other";
        if (name == null) {
            return new Malformed(type, "has no \"event\"");
        }
        if (!Set.of("bounce", "dropped", "deferred", "spamreport", "delivered").contains(name)) {
            return new Ignored(type);
        }
        String eventId = text(node, "sg_event_id");
        if (eventId == null) {
            return new Malformed(type, "has no \"sg_event_id\"");
        }
        String address = text(node, "email");
        if (address == null || !address.contains("@")) {
            return new Malformed(type, "has no \"email\" address");
        }
        String messageId = messageId(node);
        Instant at = node.path("timestamp").canConvertToLong()
                ? Instant.ofEpochSecond(node.path("timestamp").asLong())
                : fallbackAt;
        FeedbackEvent event = switch (name) {
            // SendGrid's "type" tells a hard bounce ("bounce": the address does not exist, SendGrid adds it to its own
            // bounce list) from a block ("blocked": the receiving server refused this mail for now, for reputation,
            // content or policy, and SendGrid keeps no list of it). Events from before "type" existed were bounces.
            case "bounce" ->
                new FeedbackEvent.Bounce(
                        SOURCE,
                        eventId,
                        messageId,
                        address,
                        at,
                        !"blocked".equals(text(node, "type")),
                        Objects.requireNonNullElse(
                                diagnostic(
                                        text(node, "status"),
                                        text(node, "reason"),
                                        text(node, "bounce_classification") == null
                                                ? null
                                                : "classification: " + text(node, "bounce_classification")),
                                "no reason given"));
            case "dropped" -> new FeedbackEvent.Dropped(SOURCE, eventId, messageId, address, at, reason(node));
            case "deferred" ->
                new FeedbackEvent.Deferral(
                        SOURCE,
                        eventId,
                        messageId,
                        address,
                        at,
                        Objects.requireNonNullElse(
                                diagnostic(
                                        text(node, "response"),
                                        text(node, "attempt") == null ? null : "attempt " + text(node, "attempt")),
                                "no reason given"));
            // Spam reports reach SendGrid through the mailbox providers' feedback loops: ARF reports of type abuse.
            case "spamreport" -> new FeedbackEvent.Complaint(SOURCE, eventId, messageId, address, at, "abuse");
            default -> new FeedbackEvent.Delivery(SOURCE, eventId, messageId, address, at);
        };
        return new Mapped(type, event);
    }

    /**
     * Herald's id as the custom arg SendGrid copied into the event (top level today; under {@code unique_args} in the
     * legacy shape); null when the mail was not sent by Herald or SendGrid left it out (an asynchronous bounce).
     */
    private static String messageId(JsonNode node) {
        String id = text(node, SendGridConfig.MESSAGE_ID_ARG);
        return id != null ? id : text(node.path("unique_args"), SendGridConfig.MESSAGE_ID_ARG);
    }

    private static String reason(JsonNode node) {
        String reason = diagnostic(text(node, "reason"));
        return reason == null ? "dropped by SendGrid" : reason;
    }

    private static String diagnostic(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null) {
                present.add(part);
            }
        }
        if (present.isEmpty()) {
            return null;
        }
        String joined = String.join("; ", present);
        return joined.length() <= MAX_DIAGNOSTIC_CHARS ? joined : joined.substring(0, MAX_DIAGNOSTIC_CHARS) + "…";
    }

    /** A field's text, or null when it is missing, null, blank or not a scalar. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }
}
