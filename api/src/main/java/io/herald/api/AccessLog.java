package io.herald.api;

import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.javalin.http.Context;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code logging.accessLog}: one line per request on the logger {@code io.herald.api.access}, with method, path (no
 * query string), status, duration in milliseconds and the API key's name, as message and as key-value pairs (fields of
 * their own in JSON logs). Never the key itself, never a body: the key's name is found again from its hash, as the
 * request's own admission did.
 */
final class AccessLog {

    static final String LOGGER = "io.herald.api.access";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final ApiAccess access;

    AccessLog(ApiAccess access) {
        this.access = access;
    }

    void request(Context ctx, Duration took) {
        String key = switch (access.admit(ctx.header("Authorization"))) {
            case ApiAccess.Admission.Admitted admitted -> admitted.caller().name();
            case ApiAccess.Admission.Unauthenticated refused -> "-";
        };
        String method = ctx.method().name();
        // An unsubscribe link's token would let whoever reads the log unsubscribe its receiver.
        String path = ctx.path().startsWith(UnsubscribeLinks.PATH) ? UnsubscribeLinks.PATH + "{token}" : ctx.path();
        int status = ctx.statusCode();
        long millis = took.toMillis();
        log.atInfo()
                .addKeyValue("method", method)
                .addKeyValue("path", path)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", millis)
                .addKeyValue("key", key)
                .log("{} {} {} {} ms key={}", method, path, status, millis, key);
    }
}
