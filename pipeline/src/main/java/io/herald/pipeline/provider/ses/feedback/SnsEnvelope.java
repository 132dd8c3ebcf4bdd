package io.herald.pipeline.provider.ses.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One SNS message as SNS delivers it to an SQS queue without raw message delivery: the JSON envelope around the
 * published message, with the fields its signature covers.
 *
 * @param subject the subject, or null when the publisher gave none (then it is left out of the signed string)
 * @param message the published message itself (for SES: the event's JSON)
 */
record SnsEnvelope(
        String type,
        String messageId,
        String topicArn,
        String subject,
        String message,
        String timestamp,
        String signatureVersion,
        String signature,
        String signingCertUrl) {

    /** The SNS message type of a published message (the others confirm and end subscriptions). */
    static final String NOTIFICATION = "Notification";

    /** Reads an SQS message body; every field the signature needs must be there. */
    static SnsEnvelope parse(String body, ObjectMapper json) throws UnusableFeedback {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UnusableFeedback("not an SNS envelope: the body is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new UnusableFeedback("not an SNS envelope: the body is not a JSON object");
        }
        return new SnsEnvelope(
                required(tree, "Type"),
                required(tree, "MessageId"),
                required(tree, "TopicArn"),
                tree.hasNonNull("Subject") ? tree.path("Subject").asText() : null,
                required(tree, "Message"),
                required(tree, "Timestamp"),
                required(tree, "SignatureVersion"),
                required(tree, "Signature"),
                required(tree, "SigningCertURL"));
    }

    private static String required(JsonNode tree, String field) throws UnusableFeedback {
        JsonNode value = tree.get(field);
        if (value == null || !value.isTextual()) {
            throw new UnusableFeedback("not an SNS envelope: no " + field);
        }
        return value.asText();
    }

    /**
     * The string a Notification's signature is computed over: each covered field's name and value, one a line, in byte
     * order of the names, Subject only when present (SNS's documented canonical form).
     */
    String notificationStringToSign() {
        StringBuilder out = new StringBuilder();
        line(out, "Message", message);
        line(out, "MessageId", messageId);
        if (subject != null) {
            line(out, "Subject", subject);
        }
        line(out, "Timestamp", timestamp);
        line(out, "TopicArn", topicArn);
        line(out, "Type", type);
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(name).append('\n').append(value).append('\n');
    }
}
