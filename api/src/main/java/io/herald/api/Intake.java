package io.herald.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.Durations;
import io.herald.core.idempotency.IdempotencyStore;
import io.herald.core.idempotency.IdempotencyStore.Claim;
import io.herald.core.idempotency.IdempotencyStoreException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door every request that sends passes, in this order: API key (401), rate limit (429), body size and JSON syntax
 * (400), Idempotency-Key (replay, 409, 422), then the endpoint's own rules, the last of which is the key's message
 * limit (429), charged once the request would be sent. Keeping the order in one place means every sending endpoint
 * refuses the same things the same way.
 */
final class Intake {

    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    /** The SDK has already retried before giving up; a client waiting a few seconds more is reasonable. */
    static final int RETRY_AFTER_SECONDS = 5;

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Long enough for a UUID or a hash with a prefix; short enough to bound what a client makes us hash. */
    static final int MAX_IDEMPOTENCY_KEY_CHARS = 255;

    /** One sending endpoint, behind the door. */
    interface Submission {

        /** What the body must be, for messages: {@code a JSON object with an "email" object}. */
        String expectedBody();

        /**
         * @param body a JSON object
         * @param arrival this request's announcement to the batcher: pass it on when enqueueing
         */
        Reply submit(Caller caller, JsonNode body, BatchingEnqueuer.Arrival arrival) throws InterruptedException;
    }

    /** Set once a request's body was read to its declared end, so nothing is left to drain. */
    private static final String BODY_READ = "herald.bodyRead";
    /**
     * At least this much of an unread body is drained so the client can read an early answer: a body up to it gets its
     * 400 on a connection that stays open; a larger one may see its connection reset.
     */
    static final long UNREAD_BODY_DRAIN_BYTES = 64L * 1024 * 1024;

    private final int maxBodyBytes;
    private final ApiAccess access;
    private final IdempotencyStore idempotency;
    private final Duration idempotencyWindow;
    private final RequestEnqueuer dispatcher;
    private final ApiJson json;
    private final ApiMetrics metrics;

    Intake(
            int maxBodyBytes,
            ApiAccess access,
            IdempotencyStore idempotency,
            Duration idempotencyWindow,
            RequestEnqueuer dispatcher,
            ApiJson json,
            ApiMetrics metrics) {
        this.maxBodyBytes = maxBodyBytes;
        this.access = access;
        this.idempotency = idempotency;
        this.idempotencyWindow = idempotencyWindow;
        this.dispatcher = dispatcher;
        this.json = json;
        this.metrics = metrics;
    }

    Handler handler(String endpoint, Submission submission) {
        return ctx -> {
            try (BatchingEnqueuer.Arrival arrival = dispatcher.expect()) {
                json.send(ctx, answer(ctx, endpoint, submission, arrival));
            }
        };
    }

    /**
     * Reads and drops what the client is still sending after an early answer (401, 403, 429, an oversize 400 or 413),
     * on every route: HeraldApi calls it after each request. Closing a socket with unread bytes makes the kernel answer
     * the client's next segment with a reset, and a reset discards the answer the client had not read yet; a client
     * still writing a large body then sees "connection reset" instead of the 400. So, as nginx and Apache do before
     * closing, the rest of the body is read to its end: the connection then even stays open. Bounded, so an endless
     * body still ends (past the bound the connection is closed anyway), and a slow one meets Jetty's data-rate and idle
     * limits.
     */
    void discardUnreadBody(Context ctx) {
        if (ctx.statusCode() < 400
                || ctx.attribute(BODY_READ) != null
                || ctx.req().getContentLengthLong() == 0) {
            // Only an early answer leaves a body unread (every route that succeeds reads its body), and this one was
            // read to its declared end already, or had none. Another read would only find the end, and would have
            // Jetty measure the body's data rate over the time the request took to process (a 408 for a slow answer).
            return;
        }
        long bound = Math.max(UNREAD_BODY_DRAIN_BYTES, 4L * maxBodyBytes);
        try {
            var in = ctx.req().getInputStream();
            if (in.isFinished()) {
                return;
            }
            // Usually the body was read to its end: one read says so, without a buffer per request.
            int first = in.read();
            if (first < 0) {
                return;
            }
            byte[] scratch = new byte[16 * 1024];
            long drained = 1;
            int n;
            while (drained < bound && (n = in.read(scratch, 0, (int) Math.min(scratch.length, bound - drained))) > 0) {
                drained += n;
            }
        } catch (IOException | BadMessageException brokenBody) {
            // The client cut its body short, broke its framing or sent it too slowly (Jetty's 408); the answer still
            // goes out, the connection then closes.
        }
    }

    /** Says a handler read the request's body to its declared end, so {@link #discardUnreadBody} need not look. */
    static void markBodyRead(Context ctx) {
        ctx.attribute(BODY_READ, Boolean.TRUE);
    }

    static final String BODY_CUT_SHORT = "request body could not be read: it ended before its declared Content-Length "
            + "or its chunked encoding is malformed";

    /**
     * A body declared this small is read into one array of exactly its size: most requests are well under 1 KiB, and
     * InputStream.readNBytes(int) would allocate a 16 KiB buffer and a copy per request, the API's largest allocation
     * under load (JFR). A larger body grows as it arrives.
     */
    static final int PREALLOCATED_BODY_BYTES = 16 * 1024;

    /**
     * The body, or at most {@code maxBodyBytes + 1} bytes of it. Chunked bodies declare no length: one byte past the
     * limit is read to know it was crossed, never the whole of what could be an endless stream.
     */
    private byte[] readBody(Context ctx, long declared) throws IOException {
        var in = ctx.bodyInputStream();
        if (declared < 0) {
            return in.readNBytes(maxBodyBytes + 1);
        }
        return readDeclared(in, (int) declared);
    }

    /**
     * Reads a body of a declared length. Memory follows the bytes that arrived, not the length claimed: a client that
     * declares 256 KiB and sends a byte now and then holds a small buffer only, so a thousand of them pin kilobytes
     * each instead of the whole declared size.
     *
     * @throws java.io.EOFException when the body ends before its declared length
     */
    static byte[] readDeclared(InputStream in, int declared) throws IOException {
        byte[] bytes;
        int read;
        if (declared <= PREALLOCATED_BODY_BYTES) {
            bytes = new byte[declared];
            read = in.readNBytes(bytes, 0, declared);
        } else {
            // Reads chunk by chunk (16 KiB each) and joins them at the end.
            bytes = in.readNBytes(declared);
            read = bytes.length;
        }
        if (read < declared) {
            throw new java.io.EOFException("body shorter than its Content-Length");
        }
        return bytes;
    }

    /**
     * The door for {@link ApiRole#READER} routes ({@link RouteGuard}): any API key (401 without one); what the caller
     * may read is the endpoint's to decide.
     *
     * @return the refusal, or the admitted caller
     */
    Admitted admitReader(Context ctx) {
        return switch (access.admit(ctx.header("Authorization"))) {
            case ApiAccess.Admission.Admitted admitted -> new Admitted(admitted.caller(), null);
            case ApiAccess.Admission.Unauthenticated refused -> new Admitted(null, unauthenticated(refused.reason()));
        };
    }

    /**
     * The door for {@link ApiRole#ADMIN} routes ({@link RouteGuard}): an admin key (401 without a key, 403 with one
     * that is not an admin key), or anyone when the API runs open.
     *
     * @return the refusal, or the admitted caller
     */
    Admitted admitAdmin(Context ctx) {
        return switch (access.admit(ctx.header("Authorization"))) {
            case ApiAccess.Admission.Unauthenticated refused -> new Admitted(null, unauthenticated(refused.reason()));
            case ApiAccess.Admission.Admitted admitted ->
                admitted.caller().isAdmin()
                        ? new Admitted(admitted.caller(), null)
                        : new Admitted(
                                null,
                                json.error(
                                        HttpStatus.FORBIDDEN.getCode(),
                                        "API key '" + admitted.caller().name()
                                                + "' may send but not use operator endpoints; give it "
                                                + "role=admin in api.keys"));
        };
    }

    /** Who came in through {@link #admitAdmin}, or the refusal to answer: exactly one is set. */
    record Admitted(Caller caller, Reply refusal) {}

    /**
     * Reads a small JSON object body of an operator endpoint, within the API's body limit.
     *
     * @return the object, or the 400 that says what is wrong with the body
     */
    Body readObject(Context ctx, String expected) throws IOException {
        byte[] bytes = ctx.bodyInputStream().readNBytes(maxBodyBytes + 1);
        if (bytes.length > maxBodyBytes) {
            return new Body(
                    null,
                    badRequest("request body is more than " + maxBodyBytes + " bytes; the limit is " + maxBodyBytes));
        }
        JsonNode body;
        try {
            body = json.read(bytes);
        } catch (JsonProcessingException e) {
            return new Body(null, badRequest("request body is not valid JSON: " + ApiJson.describe(e)));
        }
        if (body == null || body.isMissingNode() || !body.isObject()) {
            return new Body(null, badRequest("request body must be " + expected));
        }
        return new Body(body, null);
    }

    /** A request body read by {@link #readObject}, or the refusal to answer: exactly one is set. */
    record Body(JsonNode object, Reply refusal) {}

    private Reply answer(Context ctx, String endpoint, Submission submission, BatchingEnqueuer.Arrival arrival)
            throws IOException, InterruptedException {
        Caller caller;
        switch (access.admit(ctx.header("Authorization"))) {
            case ApiAccess.Admission.Unauthenticated refused -> {
                return unauthenticated(refused.reason());
            }
            case ApiAccess.Admission.Admitted admitted -> caller = admitted.caller();
        }
        Optional<Duration> wait = access.throttle(caller);
        if (wait.isPresent()) {
            metrics.rateLimited(caller.metricsId());
            long seconds = retryAfterSeconds(wait.get());
            return json.error(
                            HttpStatus.TOO_MANY_REQUESTS.getCode(),
                            "Rate limit of API key '" + caller.name() + "' reached; retry in " + seconds + " s")
                    .withHeader("Retry-After", Long.toString(seconds));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            return badRequest("request body is " + declared + " bytes; the limit is " + maxBodyBytes);
        }
        byte[] bytes;
        try {
            bytes = readBody(ctx, declared);
            if (declared >= 0 || bytes.length <= maxBodyBytes) {
                markBodyRead(ctx);
            }
        } catch (IOException cutShort) {
            // Jetty's "Early EOF" or a broken chunk: the client's doing, not a server error.
            return badRequest(BODY_CUT_SHORT);
        }
        if (bytes.length > maxBodyBytes) {
            return badRequest("request body is more than " + maxBodyBytes + " bytes; the limit is " + maxBodyBytes);
        }
        JsonNode body;
        try {
            body = json.read(bytes);
        } catch (JsonProcessingException e) {
            return badRequest("request body is not valid JSON: " + ApiJson.describe(e));
        }
        if (body == null || body.isMissingNode()) {
            return badRequest("request body is empty; expected " + submission.expectedBody());
        }
        if (!body.isObject()) {
            return badRequest("request body must be " + submission.expectedBody());
        }
        String key = ctx.header(IDEMPOTENCY_KEY);
        if (key == null) {
            return submission.submit(caller, body, arrival);
        }
        Optional<String> keyProblem = idempotencyKeyProblem(key);
        if (keyProblem.isPresent()) {
            return json.errors(HttpStatus.BAD_REQUEST.getCode(), Map.of(IDEMPOTENCY_KEY, keyProblem.get()));
        }
        return idempotent(
                caller, key, json.fingerprint(endpoint, body), () -> submission.submit(caller, body, arrival));
    }

    private interface Work {
        Reply run() throws InterruptedException;
    }

    private Reply idempotent(Caller caller, String key, String fingerprint, Work work) throws InterruptedException {
        Claim claim;
        try {
            claim = idempotency.claim(caller.name(), key, fingerprint);
        } catch (IdempotencyStoreException e) {
            // Going ahead unchecked could send twice, which is exactly what the client asked us not to do.
            log.warn("Idempotency-Key not checked, answering 503: {}", e.getMessage());
            return unavailable();
        }
        switch (claim) {
            case Claim.Replay replay -> {
                metrics.idempotentReplay();
                return new Reply(replay.response().status(), replay.response().body())
                        .withHeader("Idempotent-Replayed", "true");
            }
            case Claim.Mismatch mismatch -> {
                return json.errors(
                        HttpStatus.UNPROCESSABLE_CONTENT.getCode(),
                        Map.of(
                                IDEMPOTENCY_KEY,
                                "was used in the last " + Durations.format(idempotencyWindow)
                                        + " for a different request; use a new key for a new request"));
            }
            case Claim.InProgress inProgress -> {
                return json.error(
                                HttpStatus.CONFLICT.getCode(),
                                "A request with this Idempotency-Key is still being processed; retry shortly")
                        .withHeader("Retry-After", "1");
            }
            case Claim.Claimed claimed -> {
                // handled below
            }
        }
        Reply reply;
        try {
            reply = work.run();
        } catch (RuntimeException | InterruptedException e) {
            releaseQuietly(caller, key, fingerprint);
            throw e;
        }
        try {
            if (reply.status() >= 400) {
                // A refusal (the fixed request may reuse the key, as Stripe and the IETF Idempotency-Key
                // draft allow) or a failure worth retrying: either way the same key may go through again.
                idempotency.release(caller.name(), key, fingerprint);
            } else {
                idempotency.complete(
                        caller.name(),
                        key,
                        fingerprint,
                        new IdempotencyStore.StoredResponse(reply.status(), reply.json()));
            }
        } catch (IdempotencyStoreException e) {
            // The work is done and the client gets its answer; a repeat will be told to wait until the lease ends.
            log.warn("answer for an Idempotency-Key not stored: {}", e.getMessage());
        }
        return reply;
    }

    private void releaseQuietly(Caller caller, String key, String fingerprint) {
        try {
            idempotency.release(caller.name(), key, fingerprint);
        } catch (RuntimeException e) {
            log.warn("Idempotency-Key not released: {}", e.getMessage());
        }
    }

    /**
     * Charges a validated request's messages to the caller's message limit, once it is known the request would
     * otherwise be sent.
     *
     * @param messages at most {@link Caller#messageBurst()}; the endpoint refuses more with a 422
     * @return empty when charged, else the 429 with Retry-After
     */
    Optional<Reply> chargeMessages(Caller caller, int messages) {
        Optional<Duration> wait = access.chargeMessages(caller, messages);
        if (wait.isEmpty()) {
            return Optional.empty();
        }
        metrics.rateLimited(caller.metricsId());
        long seconds = retryAfterSeconds(wait.get());
        return Optional.of(json.error(
                        HttpStatus.TOO_MANY_REQUESTS.getCode(),
                        "Message limit of API key '"
                                + caller.name() + "' reached: " + messages + (messages == 1 ? " message" : " messages")
                                + " can go in " + seconds + " s")
                .withHeader("Retry-After", Long.toString(seconds)));
    }

    /** See {@link ApiAccess#refundMessages}. */
    void refundMessages(Caller caller, int messages) {
        access.refundMessages(caller, messages);
    }

    private static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    static Optional<String> idempotencyKeyProblem(String key) {
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_CHARS) {
            return Optional.of("must be 1 to " + MAX_IDEMPOTENCY_KEY_CHARS + " characters, e.g. a UUID");
        }
        if (!key.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            return Optional.of("must be printable ASCII, e.g. a UUID");
        }
        return Optional.empty();
    }

    Reply unavailable() {
        return json.error(HttpStatus.SERVICE_UNAVAILABLE.getCode(), "Service unavailable")
                .withHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }

    private Reply unauthenticated(String reason) {
        metrics.unauthenticated();
        return json.error(HttpStatus.UNAUTHORIZED.getCode(), reason)
                .withHeader("WWW-Authenticate", "Bearer realm=\"herald\"");
    }

    private Reply badRequest(String message) {
        return json.error(HttpStatus.BAD_REQUEST.getCode(), message);
    }
}
