package io.herald.core.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns envelopes into the JSON that goes on SQS and back.
 *
 * <p>Encoding refuses envelopes SQS would refuse, with a message that says how big the envelope is and what the limit
 * is. Decoding tolerates unknown fields (a newer producer may have added some) but refuses versions it does not
 * understand and envelopes missing what delivery needs, so the pipeline can dead-letter them with that reason instead
 * of guessing.
 */
public final class EnvelopeCodec {

    /** SQS's maximum message size since August 2025: 1 MiB, body and attributes together. */
    public static final int SQS_MAX_MESSAGE_BYTES = 1_048_576;

    /** What delivery cannot do without; {@link Envelope}'s constructor refuses them as null. */
    private static final List<String> REQUIRED_FIELDS = List.of("id", "channel", "target", "content", "createdAt");

    private final ObjectMapper mapper;
    private final int maxBytes;

    public EnvelopeCodec() {
        this(SQS_MAX_MESSAGE_BYTES);
    }

    /** @param maxBytes the largest encoded envelope accepted; at most {@link #SQS_MAX_MESSAGE_BYTES} */
    public EnvelopeCodec(int maxBytes) {
        if (maxBytes <= 0 || maxBytes > SQS_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxBytes must be in 1.." + SQS_MAX_MESSAGE_BYTES + ", got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_EMPTY)
                .build();
        this.mapper.getFactory().setCharacterEscapes(new SqsSafeEscapes());
    }

    /**
     * SQS accepts only characters XML allows (#x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD, #x10000–#x10FFFF) and refuses
     * the whole message otherwise. JSON already escapes the control characters; this escapes the rest of what SQS
     * refuses, U+FFFE, U+FFFF and every surrogate (so lone ones survive, and pairs are written as two escapes), as JSON
     * escapes (backslash, u, four hex digits). Any text a user sends thus reaches the provider intact instead of being
     * refused by the queue.
     */
    private static final class SqsSafeEscapes extends CharacterEscapes {

        private final int[] asciiEscapes = CharacterEscapes.standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return asciiEscapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            boolean refusedBySqs = (ch >= 0xD800 && ch <= 0xDFFF) || ch == 0xFFFE || ch == 0xFFFF;
            return refusedBySqs ? new SerializedString(String.format("\\u%04X", ch)) : null;
        }
    }

    /**
     * @return the envelope as JSON
     * @throws EnvelopeTooLargeException when the JSON exceeds the size limit
     */
    public String encode(Envelope envelope) {
        String json;
        try {
            json = mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("envelope " + envelope.id() + " cannot be written as JSON", e);
        }
        int bytes = utf8Length(json);
        if (bytes > maxBytes) {
            throw new EnvelopeTooLargeException(envelope.id(), bytes, maxBytes);
        }
        return json;
    }

    /**
     * @return the envelope the JSON describes
     * @throws MalformedEnvelopeException naming what is wrong, never with the message text itself
     */
    public Envelope decode(String json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEnvelopeException("not valid JSON (" + describe(e) + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedEnvelopeException("not a JSON object");
        }
        JsonNode version = tree.get("v");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new MalformedEnvelopeException("field 'v' (envelope version) is missing or not a whole number");
        }
        if (version.asInt() != Envelope.VERSION) {
            throw new MalformedEnvelopeException("envelope version " + version.asText()
                    + " is not supported; this Herald reads version " + Envelope.VERSION);
        }
        for (String field : REQUIRED_FIELDS) {
            JsonNode value = tree.get(field);
            if (value == null || value.isNull()) {
                // Checked here: the record's constructor would say only "problem: target".
                throw new MalformedEnvelopeException("field '" + field + "' is missing");
            }
        }
        Envelope envelope;
        try {
            envelope = mapper.treeToValue(tree, Envelope.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEnvelopeException(
                    e instanceof JsonProcessingException jpe ? describe(jpe) : rootMessage(e));
        }
        requireText(envelope.channel(), "channel");
        requireText(envelope.target(), "target");
        if (isBlank(envelope.content().text()) && isBlank(envelope.content().title())) {
            throw new MalformedEnvelopeException("content has neither 'title' nor 'text'");
        }
        return envelope;
    }

    private static void requireText(String value, String field) {
        if (isBlank(value)) {
            throw new MalformedEnvelopeException("field '" + field + "' is empty");
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String describe(JsonProcessingException e) {
        // Binding a tree has no text position: Jackson reports line -1 then, which says nothing.
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        return e.getOriginalMessage() + where;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /** Counts UTF-8 bytes without allocating the encoded array twice for the common ASCII case. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** For tests and tools: the same bytes SQS will count. */
    public static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
