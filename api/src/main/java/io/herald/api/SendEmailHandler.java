package io.herald.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.envelope.Envelope;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * gomail's {@code POST /email/send}: validate, wrap in an envelope, put it on a queue, and answer
 * 200 only once SQS has accepted it, so a 200 means the email will be delivered or dead-lettered.
 */
final class SendEmailHandler implements Handler {

    private static final Logger log = LoggerFactory.getLogger(SendEmailHandler.class);

    /** The SDK has already retried before giving up; a client waiting a few seconds more is reasonable. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final int maxBodyBytes;
    private final SqsProducer producer;
    private final List<QueueRef> queues;
    private final Clock clock;
    private final ApiJson json;
    /** Spreads emails evenly over the queues, which multiplies SQS's per-queue in-flight limit. */
    private final AtomicInteger nextQueue = new AtomicInteger();

    SendEmailHandler(int maxBodyBytes, SqsProducer producer, List<QueueRef> queues, Clock clock, ApiJson json) {
        this.maxBodyBytes = maxBodyBytes;
        this.producer = producer;
        this.queues = queues;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            badRequest(ctx, "request body is " + declared + " bytes; the limit is " + maxBodyBytes);
            return;
        }
        // Chunked bodies declare no length: read one byte past the limit to know it was crossed,
        // never the whole of what could be an endless stream.
        byte[] body = ctx.bodyInputStream().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            badRequest(ctx, "request body is more than " + maxBodyBytes + " bytes; the limit is " + maxBodyBytes);
            return;
        }
        JsonNode root;
        try {
            root = json.read(body);
        } catch (JsonProcessingException e) {
            badRequest(ctx, "request body is not valid JSON: " + ApiJson.describe(e));
            return;
        }
        if (root == null || root.isMissingNode()) {
            badRequest(ctx, "request body is empty; expected a JSON object with an \"email\" object");
            return;
        }
        if (!root.isObject()) {
            badRequest(ctx, "request body must be a JSON object with an \"email\" object");
            return;
        }
        JsonNode email = root.get("email");
        if (email == null || !email.isObject()) {
            badRequest(ctx, "request body must have an \"email\" object");
            return;
        }
        switch (EmailRequest.parse(email)) {
            case EmailRequest.Parsed.Invalid invalid ->
                    json.reply(ctx, HttpStatus.UNPROCESSABLE_CONTENT.getCode(), new ApiJson.ErrorReply(invalid.errors()));
            case EmailRequest.Parsed.Valid valid -> enqueue(ctx, valid.request().toEnvelope(clock.instant()));
        }
    }

    private void enqueue(Context ctx, Envelope envelope) {
        QueueRef queue = queues.get(Math.floorMod(nextQueue.getAndIncrement(), queues.size()));
        switch (producer.send(queue.url(), envelope)) {
            case EnqueueResult.Enqueued enqueued ->
                    json.reply(ctx, HttpStatus.OK.getCode(), new ApiJson.MessageAccepted(enqueued.envelopeId()));
            case EnqueueResult.NotEnqueued failed when failed.retryable() -> {
                log.warn("email {} not enqueued on {}: {} ({}); answering 503", failed.envelopeId(), queue.name(),
                        failed.code(), failed.reason());
                ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
                json.reply(ctx, HttpStatus.SERVICE_UNAVAILABLE.getCode(), ApiJson.ErrorReply.base("Service unavailable"));
            }
            case EnqueueResult.NotEnqueued tooLarge when EnqueueResult.MESSAGE_TOO_LARGE.equals(tooLarge.code()) ->
                    json.reply(ctx, HttpStatus.UNPROCESSABLE_CONTENT.getCode(), new ApiJson.ErrorReply(Map.of(
                            "body", "Body is too large to queue: " + tooLarge.reason())));
            case EnqueueResult.NotEnqueued refused -> {
                // Sending it again cannot succeed, so 503 would be a lie; say what SQS said, minus its details.
                log.warn("email {} refused by {}: {} ({})", refused.envelopeId(), queue.name(), refused.code(),
                        refused.reason());
                json.reply(ctx, HttpStatus.UNPROCESSABLE_CONTENT.getCode(),
                        ApiJson.ErrorReply.base("The queue refused this email (" + refused.code() + ")"));
            }
        }
    }

    private void badRequest(Context ctx, String message) {
        json.reply(ctx, HttpStatus.BAD_REQUEST.getCode(), ApiJson.ErrorReply.base(message));
    }
}
