package io.herald.core.provider.sendgrid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.feedback.FeedbackEvent;
import io.herald.core.feedback.FeedbackWebhook;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * SendGrid's Signed Event Webhook. SendGrid cannot send an API key; instead every call must carry a signature by
 * SendGrid's key over its timestamp and body ({@link SendGridWebhookSignature}), and a timestamp within
 * {@code eventWebhook.replayWindow} of now, so a forged or replayed call is refused before a single event is read.
 *
 * <p>The five delivery outcomes that matter are mapped; engagement events (open, click), {@code processed} and the
 * unsubscribe events are ignored: Herald's own RFC 8058 link is how people unsubscribe from Herald's mail, and
 * SendGrid's subscription tracking (which would send those) knows nothing of Herald's categories.
 */
public final class SendGridEventWebhook implements FeedbackWebhook {

    public static final String SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";

    /** Event types SendGrid documents; anything else is counted as {@code other}, so metric labels stay bounded. */
    static final Set<String> KNOWN_TYPES = Set.of(
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

    private static final Set<String> MAPPED_TYPES = Set.of("bounce", "dropped", "deferred", "spamreport", "delivered");

    /** Longest diagnostic kept: SMTP replies can be long, a status page needs the gist. */
    static final int MAX_DIAGNOSTIC_CHARS = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String keyPrefix;
    private final SendGridConfig.EventWebhook config;
    private final SendGridWebhookSignature signature;

    /**
     * @param source the provider's registry name, which events are recorded under and keys begin with
     * @throws IllegalArgumentException when a public key is configured that is not an EC P-256 key
     */
    public SendGridEventWebhook(String source, SendGridConfig.EventWebhook config) {
        this.source = source;
        this.keyPrefix = "providers." + source + ".eventWebhook.";
        this.config = config;
        this.signature = config.enabled() ? SendGridWebhookSignature.of(config.publicKey()) : null;
    }

    @Override
    public boolean enabled() {
        return signature != null;
    }

    @Override
    public String offReason() {
        return "feedback from " + source + " is off: set " + keyPrefix
                + "publicKey to the Event Webhook's verification key";
    }

    @Override
    public int maxBodyBytes() {
        return config.maxBodyBytes();
    }

    @Override
    public String maxBodyBytesKey() {
        return keyPrefix + "maxBodyBytes";
    }

    @Override
    public Verdict verify(UnaryOperator<String> header, byte[] body, Instant now) {
        if (signature == null) {
            return new Verdict.Refused("off", offReason());
        }
        String timestamp = header.apply(TIMESTAMP);
        String signed = header.apply(SIGNATURE);
        if (timestamp == null || signed == null) {
            return new Verdict.Refused(
                    "unsigned",
                    "the call is not signed: " + SIGNATURE + " and " + TIMESTAMP
                            + " are required (turn on Signed Event Webhook in SendGrid)");
        }
        Instant signedAt = signedAt(timestamp);
        if (signedAt == null) {
            return new Verdict.Refused("stale", TIMESTAMP + " is not a time in epoch seconds");
        }
        if (Duration.between(signedAt, now).abs().compareTo(config.replayWindow()) > 0) {
            return new Verdict.Refused(
                    "stale",
                    TIMESTAMP + " is more than " + keyPrefix + "replayWindow from now: "
                            + "a replayed call, or a clock that is off");
        }
        if (!signature.verify(timestamp, body, signed)) {
            return new Verdict.Refused(
                    "bad_signature",
                    "the signature does not match the body and timestamp under " + keyPrefix + "publicKey");
        }
        return new Verdict.Accepted(signedAt);
    }

    @Override
    public Batch parse(byte[] body, Instant receivedAt) {
        JsonNode events;
        try {
            events = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            return new Batch.Unreadable(
                    "not_json", "request body is not valid JSON: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            return new Batch.Unreadable("not_json", "request body is not valid JSON: " + e.getMessage());
        }
        if (events == null || !events.isArray()) {
            return new Batch.Unreadable("not_json", "request body must be a JSON array of events");
        }
        List<Event> read = new ArrayList<>(events.size());
        events.forEach(node -> read.add(read(node, receivedAt)));
        return new Batch.Events(read);
    }

    /** @param fallbackAt when an event carries no usable {@code timestamp}: the webhook call's signed time */
    Event read(JsonNode node, Instant fallbackAt) {
        if (node == null || !node.isObject()) {
            return new Event.Malformed("other", "is not a JSON object");
        }
        String name = text(node, "event");
        String type = name != null && KNOWN_TYPES.contains(name) ? name : "other";
        if (name == null) {
            return new Event.Malformed(type, "has no \"event\"");
        }
        if (!MAPPED_TYPES.contains(name)) {
            return new Event.Ignored(type);
        }
        String eventId = text(node, "sg_event_id");
        if (eventId == null) {
            return new Event.Malformed(type, "has no \"sg_event_id\"");
        }
        String address = text(node, "email");
        if (address == null || !address.contains("@")) {
            return new Event.Malformed(type, "has no \"email\" address");
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
                        source,
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
            case "dropped" -> new FeedbackEvent.Dropped(source, eventId, messageId, address, at, reason(node));
            case "deferred" ->
                new FeedbackEvent.Deferral(
                        source,
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
            case "spamreport" -> new FeedbackEvent.Complaint(source, eventId, messageId, address, at, "abuse");
            default -> new FeedbackEvent.Delivery(source, eventId, messageId, address, at);
        };
        return new Event.Mapped(type, event);
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

    private static Instant signedAt(String timestamp) {
        String digits = timestamp.strip();
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Instant.ofEpochSecond(Long.parseLong(digits));
    }
}
