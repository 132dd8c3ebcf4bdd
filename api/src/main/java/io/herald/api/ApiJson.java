package io.herald.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The API's one JSON mapper: strict when reading requests, plain when writing replies. Replies are
 * written by hand rather than through Javalin's mapper so every status, including errors raised by
 * Javalin itself, comes out in the same shape.
 */
final class ApiJson {

    /** {@code {"errors": {field: message}}}, gomail's error shape; {@code base} is the request as a whole. */
    record ErrorReply(Map<String, String> errors) {
        static ErrorReply base(String message) {
            return new ErrorReply(Map.of("base", message));
        }
    }

    /** gomail's success shape; the id is the envelope id, which the pipeline and status use too. */
    record MessageAccepted(String messageId) {
    }

    record Health(String status) {
    }

    private final ObjectMapper mapper = JsonMapper.builder()
            // `{"email":{...}} {"email":{...}}` or a repeated key is ambiguous: refuse rather than pick one.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

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

    void reply(Context ctx, int status, Object body) {
        String text;
        try {
            text = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reply of type " + body.getClass().getSimpleName() + " cannot be written", e);
        }
        ctx.status(status).contentType("application/json").result(text);
    }

    /** "Unexpected character ... at line 1, column 9", without echoing the request back beyond a token. */
    static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return e.getOriginalMessage() + where;
    }
}
