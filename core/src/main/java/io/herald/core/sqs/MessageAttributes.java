package io.herald.core.sqs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The SQS message attributes Herald writes and reads back, in one place: what the pipeline puts on a message it
 * dead-letters ({@link #deadLettered}) or parks while its channel is paused ({@link #parked}), and how every reader
 * (the pipeline, the dead-letter tools) parses them. A value Herald did not write (wrong type, unparsable) is read as
 * absent, never as an error: the message itself must still be delivered or shown.
 */
public final class MessageAttributes {

    /** Why the pipeline set the message aside. */
    public static final String REASON = "herald-reason";
    /** The work queue the message was dead-lettered from. */
    public static final String SOURCE_QUEUE = "herald-source-queue";
    /** When it was dead-lettered (ISO-8601). */
    public static final String DEAD_LETTERED_AT = "herald-dead-lettered-at";
    /** Present when a provider's answer (a rejection, the last failed attempt) set the message aside. */
    public static final String PROVIDER = "herald-provider";
    /** On a parked copy: receives of its earlier copies that were attempts to send it. */
    public static final String PRIOR_RECEIVES = "herald-prior-receives";
    /** On a parked copy: epoch millis of its original's first send (a copy's SentTimestamp is its own). */
    public static final String FIRST_SENT = "herald-first-sent";

    private MessageAttributes() {}

    /**
     * The attributes a message is dead-lettered with.
     *
     * @param provider the provider whose answer decided it, or null when none was asked
     */
    public static Map<String, MessageAttributeValue> deadLettered(
            String reason, String sourceQueue, Instant at, String provider) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>(Map.of(
                REASON, text(reason),
                SOURCE_QUEUE, text(sourceQueue),
                DEAD_LETTERED_AT, text(at.toString())));
        if (provider != null) {
            attributes.put(PROVIDER, text(provider));
        }
        return attributes;
    }

    /**
     * The attributes of a parked copy of {@code original}: the original's own, plus the attempts made so far and the
     * original's first send, so the copy counts on from where the original stopped.
     *
     * @param attempts receives of the original so far that were attempts to send it
     */
    public static Map<String, MessageAttributeValue> parked(Message original, int attempts) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>(original.messageAttributes());
        attributes.put(PRIOR_RECEIVES, number(attempts));
        firstSent(original).ifPresent(millis -> attributes.put(FIRST_SENT, number(millis)));
        return attributes;
    }

    /** Receives of this message, its earlier parked copies' included. */
    public static int receiveCount(Message message) {
        int prior = 0;
        String carried = string(message, PRIOR_RECEIVES);
        try {
            if (carried != null) {
                prior = Math.max(0, Integer.parseInt(carried));
            }
        } catch (NumberFormatException e) {
            prior = 0;
        }
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        try {
            return prior + (count == null ? 1 : Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return prior + 1;
        }
    }

    /**
     * Epoch millis of the message's first send: its original's when it is a parked copy, else its SentTimestamp; empty
     * when it carries neither.
     */
    public static OptionalLong firstSent(Message message) {
        String carried = string(message, FIRST_SENT);
        if (carried != null) {
            try {
                return OptionalLong.of(Long.parseLong(carried));
            } catch (NumberFormatException e) {
                // Not written by Herald: SQS's own timestamp below.
            }
        }
        return sentTimestamp(message);
    }

    /** The recorded reason, if Herald dead-lettered it (SQS's own redrive records none). */
    public static Optional<String> reason(Message message) {
        return Optional.ofNullable(string(message, REASON));
    }

    /** The provider whose answer dead-lettered it, if one did. */
    public static Optional<String> provider(Message message) {
        return Optional.ofNullable(string(message, PROVIDER));
    }

    /**
     * When Herald dead-lettered it, else SQS's SentTimestamp: for a message SQS's redrive policy moved, that is when it
     * was first sent (SQS keeps it), so such a message looks older than it is.
     */
    public static Instant deadLetteredAt(Message message) {
        String at = string(message, DEAD_LETTERED_AT);
        if (at != null) {
            try {
                return Instant.parse(at);
            } catch (DateTimeParseException e) {
                // Fall back to SQS's own timestamp below.
            }
        }
        OptionalLong sent = sentTimestamp(message);
        return sent.isPresent() ? Instant.ofEpochMilli(sent.getAsLong()) : Instant.EPOCH;
    }

    private static OptionalLong sentTimestamp(Message message) {
        String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        try {
            return sent == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(sent));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String string(Message message, String name) {
        MessageAttributeValue value = message.messageAttributes().get(name);
        return value == null ? null : value.stringValue();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    private static MessageAttributeValue number(long value) {
        return MessageAttributeValue.builder()
                .dataType("Number")
                .stringValue(Long.toString(value))
                .build();
    }
}
