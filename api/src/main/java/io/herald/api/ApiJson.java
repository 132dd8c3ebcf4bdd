package io.herald.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The API's one JSON mapper: strict when reading requests, plain when writing replies. Replies are written by hand
 * rather than through Javalin's mapper so every status, including errors raised by Javalin itself, comes out in the
 * same shape.
 */
final class ApiJson {

    /** {@code {"errors": {field: message}}}, gomail's error shape; {@code base} is the request as a whole. */
    record ErrorReply(Map<String, String> errors) {
        static ErrorReply base(String message) {
            return new ErrorReply(Map.of("base", message));
        }
    }

    /** gomail's success shape; the id is the envelope id, which the pipeline and status use too. */
    record MessageAccepted(String messageId) {}

    record Health(String status) {}

    /** @param checks each dependency: "ok" or what is wrong with it */
    record Readiness(String status, Map<String, String> checks) {}

    private final ObjectMapper mapper = JsonMapper.builder()
            // `{"email":{...}} {"email":{...}}` or a repeated key is ambiguous: refuse rather than pick one.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /** Writes objects' keys sorted, so two requests that differ only in key order or spacing match. */
    private final ObjectMapper canonical =
            JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    /** @return the document, or a missing node when there is none */
    JsonNode read(byte[] body) throws JsonProcessingException {
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            // Reading a byte array does no I/O; anything else is a parser bug, not the client's fault.
            throw new UncheckedIOException(e);
        }
    }

    String write(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "reply of type " + body.getClass().getSimpleName() + " cannot be written", e);
        }
    }

    Reply reply(int status, Object body) {
        return new Reply(status, write(body));
    }

    Reply errors(int status, Map<String, String> errors) {
        return reply(status, new ErrorReply(errors));
    }

    Reply error(int status, String message) {
        return reply(status, ErrorReply.base(message));
    }

    /** Set on every answer the API wrote itself, so the catch-all error pages leave it alone. */
    static final String ANSWERED = "herald.answered";

    void send(Context ctx, Reply reply) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        reply.headers().forEach(ctx::header);
        ctx.status(reply.status()).contentType("application/json");
        // Straight to the response: result() would have Javalin copy it through a fresh 8 KiB
        // buffer per request, a quarter of the API's allocation under load (JFR).
        try {
            ctx.outputStream().write(reply.json().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void reply(Context ctx, int status, Object body) {
        send(ctx, reply(status, body));
    }

    /**
     * What makes two requests "the same" for an Idempotency-Key: the endpoint and the JSON content, regardless of key
     * order and whitespace.
     */
    String fingerprint(String endpoint, JsonNode body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(endpoint.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(canonical.writeValueAsBytes(body));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed document cannot be written back", e);
        }
    }

    /** "Unexpected character ... at line 1, column 9", without echoing the request back beyond a token. */
    static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        return e.getOriginalMessage() + where;
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
