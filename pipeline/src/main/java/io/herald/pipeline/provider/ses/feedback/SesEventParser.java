package io.herald.pipeline.provider.ses.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.feedback.FeedbackEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an SES event record (the Message of an SNS notification from a configuration set's event destination) into
 * {@link FeedbackEvent}s: one per recipient the record names. Herald's message id comes back in {@code mail.tags} under
 * {@link #HERALD_ID_TAG}, the email tag the SES provider sends every email with.
 */
final class SesEventParser {

    /** The email tag that carries Herald's message id (set by the SES provider on every SendEmail). */
    static final String HERALD_ID_TAG = "herald-id";

    private static final String SOURCE = "ses";

    private final ObjectMapper json;

    SesEventParser(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param eventId the SNS message id, the event's id for de-duplication (with {@code #address} appended when one
     *     record names several recipients, so each recipient's event stays distinct)
     * @throws UnusableFeedback when the record is not JSON or lacks what its type needs
     */
    SesEvents parse(String message, String eventId) throws UnusableFeedback {
        JsonNode record;
        try {
            record = json.readTree(message);
        } catch (JsonProcessingException e) {
            throw new UnusableFeedback("SES event is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (record == null || !record.isObject()) {
            throw new UnusableFeedback("SES event is not a JSON object");
        }
        // notificationType: the same records sent by an identity's feedback notifications instead of a configuration
        // set (they carry no tags, so no message id).
        String type = record.hasNonNull("eventType")
                ? record.path("eventType").asText()
                : record.path("notificationType").asText("");
        JsonNode mail = record.path("mail");
        String messageId = heraldId(mail);
        List<FeedbackEvent> events = new ArrayList<>();
        switch (type) {
            case "Bounce" -> {
                JsonNode bounce = object(record, "bounce");
                // Transient and Undetermined may pass; only Permanent says the address is gone.
                boolean permanent = "Permanent".equals(bounce.path("bounceType").asText());
                Instant at = time(bounce, mail);
                for (Recipient r : recipients(bounce, "bouncedRecipients", eventId)) {
                    events.add(new FeedbackEvent.Bounce(
                            SOURCE, r.eventId(), messageId, r.address(), at, permanent, diagnostic(bounce, r.node())));
                }
            }
            case "Complaint" -> {
                JsonNode complaint = object(record, "complaint");
                Instant at = time(complaint, mail);
                String feedbackType = complaint.path("complaintFeedbackType").asText(null);
                for (Recipient r : recipients(complaint, "complainedRecipients", eventId)) {
                    events.add(
                            new FeedbackEvent.Complaint(SOURCE, r.eventId(), messageId, r.address(), at, feedbackType));
                }
            }
            case "Delivery" -> {
                JsonNode delivery = object(record, "delivery");
                Instant at = time(delivery, mail);
                for (Recipient r : addresses(delivery.path("recipients"), "delivery.recipients", eventId)) {
                    events.add(new FeedbackEvent.Delivery(SOURCE, r.eventId(), messageId, r.address(), at));
                }
            }
            case "DeliveryDelay" -> {
                JsonNode delay = object(record, "deliveryDelay");
                Instant at = time(delay, mail);
                for (Recipient r : recipients(delay, "delayedRecipients", eventId)) {
                    String why = r.node()
                            .path("diagnosticCode")
                            .asText(delay.path("delayType").asText(""));
                    events.add(new FeedbackEvent.Deferral(SOURCE, r.eventId(), messageId, r.address(), at, why));
                }
            }
            case "Reject" -> {
                // SES refused to send: the record names no recipients, the mail's destination does.
                JsonNode reject = object(record, "reject");
                Instant at = time(mail, mail);
                String reason = reject.path("reason").asText("rejected by SES");
                for (Recipient r : addresses(mail.path("destination"), "mail.destination", eventId)) {
                    events.add(new FeedbackEvent.Dropped(SOURCE, r.eventId(), messageId, r.address(), at, reason));
                }
            }
            default -> {
                return new SesEvents.Ignored(type.isEmpty() ? "(none)" : type);
            }
        }
        return new SesEvents.Parsed(type, List.copyOf(events));
    }

    private record Recipient(String address, String eventId, JsonNode node) {}

    private static JsonNode object(JsonNode record, String field) throws UnusableFeedback {
        JsonNode node = record.path(field);
        if (!node.isObject()) {
            throw new UnusableFeedback("SES " + record.path("eventType").asText("") + " event has no " + field);
        }
        return node;
    }

    /** {@code field}'s entries, each an object with an emailAddress. */
    private static List<Recipient> recipients(JsonNode parent, String field, String eventId) throws UnusableFeedback {
        JsonNode list = parent.path(field);
        List<JsonNode> nodes = new ArrayList<>();
        list.forEach(nodes::add);
        List<Recipient> out = new ArrayList<>();
        for (JsonNode node : nodes) {
            String address = node.path("emailAddress").asText("");
            if (address.isBlank()) {
                throw new UnusableFeedback("SES event: an entry of " + field + " has no emailAddress");
            }
            out.add(new Recipient(
                    address.strip(), nodes.size() == 1 ? eventId : eventId + "#" + address.strip(), node));
        }
        if (out.isEmpty()) {
            throw new UnusableFeedback("SES event names no recipient in " + field);
        }
        return out;
    }

    /** A list of plain address strings. */
    private static List<Recipient> addresses(JsonNode list, String field, String eventId) throws UnusableFeedback {
        List<Recipient> out = new ArrayList<>();
        for (JsonNode node : list) {
            String address = node.asText("").strip();
            if (address.isEmpty()) {
                throw new UnusableFeedback("SES event: an entry of " + field + " is empty");
            }
            out.add(new Recipient(address, list.size() == 1 ? eventId : eventId + "#" + address, node));
        }
        if (out.isEmpty()) {
            throw new UnusableFeedback("SES event names no recipient in " + field);
        }
        return out;
    }

    private static String diagnostic(JsonNode bounce, JsonNode recipient) {
        String code = recipient.path("diagnosticCode").asText("");
        if (!code.isBlank()) {
            return code;
        }
        String status = recipient.path("status").asText("");
        String kind = bounce.path("bounceType").asText("") + "/"
                + bounce.path("bounceSubType").asText("");
        return status.isBlank() ? kind : status + " (" + kind + ")";
    }

    /** The event's own timestamp, else the mail's. */
    private static Instant time(JsonNode event, JsonNode mail) throws UnusableFeedback {
        String text = event.path("timestamp").asText(mail.path("timestamp").asText(""));
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UnusableFeedback("SES event has no valid timestamp ('" + text + "')");
        }
    }

    /** {@code mail.tags} maps each tag's name to a list of values. */
    private static String heraldId(JsonNode mail) {
        JsonNode values = mail.path("tags").path(HERALD_ID_TAG);
        String id = values.isArray() ? values.path(0).asText("") : values.asText("");
        return id.isBlank() ? null : id;
    }
}
