package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.Sender;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code email} object of gomail's {@code POST /email/send}, validated. Optional fields that are absent, null or
 * empty are {@code null} here. {@code category} is Herald's addition to gomail's shape (optional): what the email's
 * unsubscribe link stops, or {@code transactional} for none.
 */
record EmailRequest(
        String fromEmail,
        String fromName,
        String toEmail,
        String toName,
        String subject,
        String body,
        String category) {

    /** Display names beyond this are abuse or a paste error, not a name; no provider shows them whole. */
    static final int MAX_NAME_CHARS = 256;
    /** RFC 5322's longest header line; a longer subject needs folding that not every provider does well. */
    static final int MAX_SUBJECT_CHARS = 998;

    sealed interface Parsed {
        record Valid(EmailRequest request) implements Parsed {}

        /** @param errors field name → message, in the order the form shows the fields */
        record Invalid(Map<String, String> errors) implements Parsed {}
    }

    /** Checks every field, so the client learns about all its mistakes in one round trip. */
    static Parsed parse(JsonNode email) {
        FieldReader fields = new FieldReader(email);
        String fromEmail = fields.address("fromEmail", "From email");
        String fromName = fields.displayName("fromName", "From name", MAX_NAME_CHARS);
        String toEmail = fields.address("toEmail", "To email");
        String toName = fields.displayName("toName", "To name", MAX_NAME_CHARS);
        String subject = fields.headerText("subject", "Subject", MAX_SUBJECT_CHARS);
        String body = fields.requiredText("body", "Body");
        String category = fields.category("category");
        if (fields.hasErrors()) {
            return new Parsed.Invalid(fields.errors());
        }
        return new Parsed.Valid(new EmailRequest(fromEmail, fromName, toEmail, toName, subject, body, category));
    }

    /** @param principal the API key's name, or {@code anonymous} when the API runs open */
    Envelope toEnvelope(Instant now, String principal) {
        return Envelope.create("email", toEmail, Content.of(subject, body), Origin.api(principal), now)
                .withTargetName(toName)
                .withSender(new Sender(fromEmail, fromName))
                .withCategory(category);
    }
}
