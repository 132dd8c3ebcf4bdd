package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.Sender;
import io.herald.core.receiver.EmailAddresses;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code email} object of gomail's {@code POST /email/send}, validated. Optional fields that are
 * absent, null or empty are {@code null} here.
 */
record EmailRequest(String fromEmail, String fromName, String toEmail, String toName, String subject, String body) {

    /** Display names beyond this are abuse or a paste error, not a name; no provider shows them whole. */
    static final int MAX_NAME_CHARS = 256;
    /** RFC 5322's longest header line; a longer subject needs folding that not every provider does well. */
    static final int MAX_SUBJECT_CHARS = 998;

    sealed interface Parsed {
        record Valid(EmailRequest request) implements Parsed {
        }

        /** @param errors field name → message, in the order the form shows the fields */
        record Invalid(Map<String, String> errors) implements Parsed {
        }
    }

    /** Checks every field, so the client learns about all its mistakes in one round trip. */
    static Parsed parse(JsonNode email) {
        Fields fields = new Fields(email);
        String fromEmail = fields.address("fromEmail", "From email");
        String fromName = fields.headerText("fromName", "From name", MAX_NAME_CHARS);
        String toEmail = fields.address("toEmail", "To email");
        String toName = fields.headerText("toName", "To name", MAX_NAME_CHARS);
        String subject = fields.headerText("subject", "Subject", MAX_SUBJECT_CHARS);
        String body = fields.requiredText("body", "Body");
        if (!fields.errors.isEmpty()) {
            return new Parsed.Invalid(Collections.unmodifiableMap(fields.errors));
        }
        return new Parsed.Valid(new EmailRequest(fromEmail, fromName, toEmail, toName, subject, body));
    }

    Envelope toEnvelope(Instant now) {
        // The API has no keys yet; every caller is the same anonymous principal.
        return Envelope.create("email", toEmail, Content.of(subject, body), Origin.api("anonymous"), now)
                .withTargetName(toName)
                .withSender(new Sender(fromEmail, fromName));
    }

    /** Reads the fields of one request, collecting a message per bad field. */
    private static final class Fields {
        private final JsonNode email;
        private final Map<String, String> errors = new LinkedHashMap<>();

        Fields(JsonNode email) {
            this.email = email;
        }

        String address(String field, String label) {
            String value = requiredText(field, label);
            if (value == null) {
                return null;
            }
            Optional<String> problem = EmailAddresses.problem(value);
            if (problem.isPresent()) {
                errors.put(field, label + " is not a valid email: it " + problem.get());
                return null;
            }
            return value;
        }

        String requiredText(String field, String label) {
            String value = text(field, label);
            if (value == null || value.isBlank()) {
                errors.putIfAbsent(field, label + " is required");
                return null;
            }
            return value;
        }

        /** Text that becomes a mail header: a line break in it would let the client add headers (Bcc:). */
        String headerText(String field, String label, int maxChars) {
            String value = text(field, label);
            if (value == null || value.isEmpty()) {
                return null;
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                errors.put(field, label + " must not contain line breaks");
            } else if (value.chars().anyMatch(c -> c != '\t' && Character.isISOControl(c))) {
                errors.put(field, label + " must not contain control characters");
            } else if (value.codePointCount(0, value.length()) > maxChars) {
                errors.put(field, label + " is longer than " + maxChars + " characters");
            } else {
                return value;
            }
            return null;
        }

        /** @return the string, or null when absent, JSON null, of another type or not sendable */
        private String text(String field, String label) {
            JsonNode node = email.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                errors.put(field, label + " must be a string");
                return null;
            }
            String value = node.textValue();
            Optional<String> invalid = unpairedSurrogate(value);
            if (invalid.isPresent()) {
                errors.put(field, label + " contains " + invalid.get() + ", which is not valid Unicode text");
                return null;
            }
            return value;
        }
    }

    /**
     * A JSON string can hold half of a surrogate pair as an escape; no mail header or body can
     * encode it, so it is refused here rather than turned into a '?' on the way.
     */
    static Optional<String> unpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format("an unpaired surrogate U+%04X", (int) c));
            }
        }
        return Optional.empty();
    }
}
