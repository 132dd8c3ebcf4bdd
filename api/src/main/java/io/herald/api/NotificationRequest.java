package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.Sender;
import io.herald.core.receiver.ParsedReceivers;
import io.herald.core.receiver.Receiver;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.receiver.ReceiverProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The body of {@code POST /v1/notifications}, validated: one notification for every receiver in {@code to}, written in
 * the receiver syntax ({@code mailto:a@b.org,telegram:123,carol}).
 *
 * @param receivers where to deliver, one message each
 * @param refused items of {@code to} that cannot be delivered to, with reasons
 */
record NotificationRequest(
        List<Receiver> receivers,
        List<ReceiverProblem> refused,
        String from,
        String fromName,
        String title,
        String text,
        String html,
        List<Fact> facts,
        String category,
        String callbackUrl) {

    /** Fan-out per request is bounded: a typo'd paste of a mailing list should not become 10,000 messages. */
    static final int MAX_RECEIVERS =
            io.herald.core.config.HeraldConfig.Api.defaults().maxReceiversPerRequest();
    /** Refused items an answer lists; beyond, it says how many more, so refusals cannot amplify a request. */
    static final int MAX_REFUSALS_LISTED = 10;

    static final int MAX_FACTS = 50;
    static final int MAX_FACT_LABEL_CHARS = 256;
    static final int MAX_FACT_VALUE_CHARS = 4096;
    static final List<String> FIELDS =
            List.of("to", "from", "fromName", "title", "subject", "text", "html", "facts", "category", "callbackUrl");

    sealed interface Parsed {
        record Valid(NotificationRequest request) implements Parsed {}

        /**
         * @param errors field → message
         * @param refused the receivers refused, when {@code to} was readable
         */
        record Invalid(Map<String, String> errors, List<ReceiverProblem> refused) implements Parsed {}
    }

    /** With the API's default bounds and no per-key limit. */
    static Parsed parse(JsonNode body, ReceiverParser parser) {
        return parse(body, parser, MAX_RECEIVERS, MAX_RECEIVERS);
    }

    /**
     * @param maxItems items of {@code to} read at all (api.maxReceiversPerRequest): more are refused unread, with one
     *     error, before a string or a refusal is made per item
     * @param maxReceivers distinct receivers allowed (the key's limit, at most {@code maxItems})
     */
    static Parsed parse(JsonNode body, ReceiverParser parser, int maxItems, int maxReceivers) {
        FieldReader fields = new FieldReader(body);
        String to = fields.requiredText("to", "To");
        List<Receiver> receivers = List.of();
        List<ReceiverProblem> refused = List.of();
        int items = to == null ? 0 : ReceiverParser.itemCount(to);
        if (items > maxItems) {
            fields.error("to", "To has " + items + " receivers; at most " + maxItems + " per request");
        } else if (to != null) {
            ParsedReceivers parsed = parser.parse(to);
            receivers = parsed.receivers();
            refused = parsed.problems();
            if (receivers.isEmpty()) {
                fields.error("to", "No receiver can be delivered to: " + listed(refused));
            } else if (receivers.size() > maxReceivers) {
                fields.error(
                        "to", "To has " + receivers.size() + " receivers; at most " + maxReceivers + " per request");
            }
        }
        String from = fields.optionalAddress("from", "From");
        String fromName = fields.displayName("fromName", "From name", EmailRequest.MAX_NAME_CHARS);
        String title = fields.headerText("title", "Title", EmailRequest.MAX_SUBJECT_CHARS);
        String subject = fields.headerText("subject", "Subject", EmailRequest.MAX_SUBJECT_CHARS);
        if (title != null && subject != null) {
            fields.error("subject", "Give a title or a subject (they are the same thing), not both");
        }
        String text = fields.requiredText("text", "Text");
        String html = fields.text("html", "HTML");
        List<Fact> facts = facts(body.get("facts"), fields);
        String category = fields.category("category");
        // Only its form here; whether Herald may post there (its addresses) is the handler's to decide.
        String callbackUrl = fields.text("callbackUrl", "Callback URL");
        if (callbackUrl != null && !callbackUrl.isEmpty()) {
            io.herald.core.callback.CallbackTargets.syntaxProblem(callbackUrl)
                    .ifPresent(p -> fields.error("callbackUrl", "Callback URL " + p));
        }
        // A blank from is a missing from: email from the API never goes out as the provider's default sender.
        if (from == null
                && !fields.errors().containsKey("from")
                && receivers.stream().anyMatch(r -> r.channel().equals("email"))) {
            fields.error("from", "From is required for email receivers");
        }
        for (String name : ApiJson.fieldNames(body)) {
            if (!FIELDS.contains(name)) {
                fields.error(name, "is not a field of a notification; the fields are " + String.join(", ", FIELDS));
            }
        }
        if (fields.hasErrors()) {
            return new Parsed.Invalid(ordered(fields.errors()), refused);
        }
        return new Parsed.Valid(new NotificationRequest(
                receivers,
                refused,
                from,
                fromName,
                title != null ? title : subject,
                text,
                html == null || html.isEmpty() ? null : html,
                facts,
                category,
                callbackUrl == null || callbackUrl.isEmpty() ? null : callbackUrl));
    }

    /** The first refusals, each bounded, and how many more: never more than a few KB whatever was sent. */
    static String listed(List<ReceiverProblem> refused) {
        String shown = refused.stream()
                .limit(MAX_REFUSALS_LISTED)
                .map(p -> new ReceiverProblem(
                                p.position(), bounded(p.item(), MAX_ITEM_CHARS), bounded(p.reason(), MAX_REASON_CHARS))
                        .toString())
                .collect(Collectors.joining("; "));
        int more = refused.size() - MAX_REFUSALS_LISTED;
        return more > 0 ? shown + "; and " + more + " more" : shown;
    }

    /** An item as written, quoted back: its start only, when it is long. */
    static final int MAX_ITEM_CHARS = 100;

    static final int MAX_REASON_CHARS = 300;

    static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    private static List<Fact> facts(JsonNode node, FieldReader fields) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            fields.error("facts", "Facts must be a list of {\"label\": ..., \"value\": ...}");
            return List.of();
        }
        if (node.size() > MAX_FACTS) {
            fields.error("facts", "Facts has " + node.size() + " items; at most " + MAX_FACTS);
            return List.of();
        }
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String which = "Fact " + (i + 1);
            if (!item.isObject()
                    || !item.path("label").isTextual()
                    || !item.path("value").isTextual()) {
                fields.error("facts", which + " must be {\"label\": text, \"value\": text}");
                continue;
            }
            String label = item.get("label").textValue();
            String value = item.get("value").textValue();
            if (label.isBlank()) {
                fields.error("facts", which + " has an empty label");
            } else if (FieldReader.headerProblem(which + "'s label", label, MAX_FACT_LABEL_CHARS)
                    .isPresent()) {
                fields.error(
                        "facts",
                        FieldReader.headerProblem(which + "'s label", label, MAX_FACT_LABEL_CHARS)
                                .get());
            } else if (value.codePointCount(0, value.length()) > MAX_FACT_VALUE_CHARS) {
                fields.error("facts", which + "'s value is longer than " + MAX_FACT_VALUE_CHARS + " characters");
            } else if (FieldReader.unpairedSurrogate(label + value).isPresent()) {
                fields.error("facts", which + " is not valid Unicode text");
            } else {
                facts.add(new Fact(label, value));
            }
        }
        return facts;
    }

    /** The form's order, whatever order the checks ran in. */
    private static Map<String, String> ordered(Map<String, String> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (errors.containsKey(field)) {
                out.put(field, errors.get(field));
            }
        }
        errors.forEach(out::putIfAbsent);
        return out;
    }

    /** One envelope per receiver, all stamped alike. */
    List<Envelope> toEnvelopes(Instant now, String principal) {
        return toEnvelopes(now, principal, callbackUrl);
    }

    /** @param callback the callback URL every envelope carries (the request's or its key's default), or null */
    List<Envelope> toEnvelopes(Instant now, String principal, String callback) {
        Content content = new Content(title, text, html, facts, List.of(), List.of());
        List<Envelope> envelopes = new ArrayList<>(receivers.size());
        for (Receiver receiver : receivers) {
            Envelope envelope =
                    Envelope.create(receiver.channel(), receiver.target(), content, Origin.api(principal), now);
            envelope = envelope.withCategory(category);
            envelope = from == null ? envelope : envelope.withSender(new Sender(from, fromName));
            envelopes.add(callback == null ? envelope : envelope.withCallbackUrl(callback));
        }
        return envelopes;
    }
}
