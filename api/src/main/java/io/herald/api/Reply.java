package io.herald.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer, fully formed before it is sent, so an idempotent request can store exactly what it answered and send the
 * same again.
 *
 * @param status HTTP status
 * @param json the body, JSON text
 * @param headers extra headers, e.g. Retry-After
 */
record Reply(int status, String json, Map<String, String> headers) {

    Reply {
        headers = Map.copyOf(headers);
    }

    Reply(int status, String json) {
        this(status, json, Map.of());
    }

    Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, json, more);
    }
}
