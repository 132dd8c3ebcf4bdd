package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.receiver.EmailAddresses;
import io.herald.core.unsubscribe.Categories;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the fields of one JSON object, collecting a message per bad field so the client learns about all its mistakes
 * in one round trip. Absent, null and empty optional fields read as null.
 */
final class FieldReader {

    private final JsonNode object;
    private final Map<String, String> errors = new LinkedHashMap<>();

    FieldReader(JsonNode object) {
        this.object = object;
    }

    /** field → message, in the order the fields were read (the order the form shows them) */
    Map<String, String> errors() {
        return Collections.unmodifiableMap(errors);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    void error(String field, String message) {
        errors.putIfAbsent(field, message);
    }

    String address(String field, String label) {
        String value = requiredText(field, label);
        return value == null ? null : checkAddress(field, label, value);
    }

    /** Absent, null, empty and blank all read as null: a blank address is a missing one, never "use a default". */
    String optionalAddress(String field, String label) {
        String value = text(field, label);
        if (value == null || value.isBlank()) {
            return null;
        }
        return checkAddress(field, label, value);
    }

    private String checkAddress(String field, String label, String value) {
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
        return headerProblem(label, value, maxChars)
                .map(problem -> {
                    errors.put(field, problem);
                    return (String) null;
                })
                .orElse(value);
    }

    /**
     * A display name ({@code fromName}, {@code toName}): header text that must not pass for an address either.
     * {@code Bank <ceo@bank.example>} as a name shows the reader an address the message was not sent from, so '@',
     * angle brackets (and their full-width look-alikes), tabs and bidirectional controls are refused, not cleaned.
     */
    String displayName(String field, String label, int maxChars) {
        String value = headerText(field, label, maxChars);
        if (value == null || errors.containsKey(field)) {
            return null;
        }
        Optional<String> problem = displayNameProblem(label, value);
        problem.ifPresent(p -> errors.put(field, p));
        return problem.isPresent() ? null : value;
    }

    /** '@' and angle brackets, plain and in their full-width and small forms. */
    private static final String ADDRESS_MARKS = "@<>\uFF20\uFE6B\uFF1C\uFF1E\uFE64\uFE65";

    static Optional<String> displayNameProblem(String label, String value) {
        if (value.codePoints().anyMatch(c -> ADDRESS_MARKS.indexOf(c) >= 0)) {
            return Optional.of(label + " must not contain '@', '<' or '>': it is a name, not an address");
        }
        if (value.codePoints().anyMatch(c -> c == '\t' || isBidiControl(c))) {
            return Optional.of(label + " must not contain tabs or text-direction controls");
        }
        return Optional.empty();
    }

    /** LRE..RLO, LRI..PDI, LRM, RLM, ALM: they reorder what the reader sees. */
    private static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E
                || c == 0x200F
                || c == 0x061C;
    }

    static Optional<String> headerProblem(String label, String value, int maxChars) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            return Optional.of(label + " must not contain line breaks");
        }
        if (value.chars().anyMatch(c -> c != '\t' && Character.isISOControl(c))) {
            return Optional.of(label + " must not contain control characters");
        }
        if (value.codePointCount(0, value.length()) > maxChars) {
            return Optional.of(label + " is longer than " + maxChars + " characters");
        }
        return Optional.empty();
    }

    /**
     * An email's category ({@link Categories}): what its unsubscribe link stops, or {@code transactional} for mail
     * without one; {@link Categories#DEFAULT} when absent or empty, written out so the pipeline's suppression check and
     * the unsubscribe link name the same category.
     */
    String category(String field) {
        String value = text(field, "Category");
        // Absent, null, empty and blank alike, as for every optional field.
        if (value == null || value.isBlank()) {
            return errors.containsKey(field) ? null : Categories.DEFAULT;
        }
        String problem = Categories.problem(value);
        if (problem != null) {
            errors.put(field, "Category " + problem);
            return null;
        }
        return value;
    }

    /** @return the string, or null when absent, JSON null, of another type or not sendable */
    String text(String field, String label) {
        JsonNode node = object.get(field);
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

    /**
     * A JSON string can hold half of a surrogate pair as an escape; no mail header or body can encode it, so it is
     * refused here rather than turned into a '?' on the way.
     */
    static Optional<String> unpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format("an unpaired surrogate U+%04X", (int) c));
            }
        }
        return Optional.empty();
    }
}
