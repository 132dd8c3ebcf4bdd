package io.herald.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.HeraldConfig;
import io.herald.core.feedback.FeedbackEventIds;
import io.herald.core.feedback.FeedbackSink;
import io.herald.core.feedback.FeedbackStoreException;
import io.herald.core.feedback.SendGridWebhookSignature;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/feedback/sendgrid}: SendGrid's Signed Event Webhook. Needs no API key (SendGrid cannot send one);
 * instead every call must carry a signature by SendGrid's key over its timestamp and body, and a timestamp within
 * {@code feedback.sendgrid.replayWindow} of now. Anything else is refused with 401 before a single event is read, so a
 * forged or replayed call changes nothing.
 *
 * <p>Each event is recorded once however often SendGrid delivers it: its {@code sg_event_id} is claimed in the status
 * table first. When recording fails the claim is given back and the call answered 503, so SendGrid delivers the batch
 * again; the events recorded before the failure are then skipped as duplicates.
 */
final class SendGridFeedbackHandler implements Handler {

    private static final Logger log = LoggerFactory.getLogger(SendGridFeedbackHandler.class);

    static final String SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";
    static final String TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";
    /** Problems listed in an answer at most; the rest are counted. */
    private static final int MAX_PROBLEMS = 20;

    /** What one call did with its batch (the answer's body; SendGrid ignores it, people testing the hook read it). */
    record Recorded(int received, int recorded, int duplicates, int ignored, int malformed, List<String> problems) {}

    private final HeraldConfig.Feedback.SendGridFeedback config;
    private final SendGridWebhookSignature signature;
    private final FeedbackSink sink;
    private final FeedbackEventIds eventIds;
    private final ApiJson json;
    private final ApiMetrics metrics;
    private final Clock clock;

    /**
     * @param sink null, or {@code eventIds} null, or no public key configured: the endpoint answers 503
     * @throws IllegalArgumentException when the configured public key is not an EC P-256 key
     */
    SendGridFeedbackHandler(
            HeraldConfig.Feedback.SendGridFeedback config,
            FeedbackSink sink,
            FeedbackEventIds eventIds,
            ApiJson json,
            ApiMetrics metrics,
            Clock clock) {
        this.config = config;
        this.signature = config.enabled() ? SendGridWebhookSignature.of(config.publicKey()) : null;
        this.sink = sink;
        this.eventIds = eventIds;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        json.send(ctx, answer(ctx));
    }

    private Reply answer(Context ctx) throws IOException {
        if (signature == null || sink == null || eventIds == null) {
            return json.error(
                    HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                    "SendGrid feedback is off: set feedback.sendgrid.publicKey to the Event Webhook's "
                            + "verification key");
        }
        int limit = config.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            return refuse("too_large", tooLarge(limit)).withHeader("Connection", "close");
        }
        byte[] body;
        try {
            body = declared >= 0
                    ? Intake.readDeclared(ctx.bodyInputStream(), (int) declared)
                    : ctx.bodyInputStream().readNBytes(limit + 1);
        } catch (IOException cutShort) {
            return json.error(HttpStatus.BAD_REQUEST.getCode(), Intake.BODY_CUT_SHORT);
        }
        if (body.length > limit) {
            return refuse("too_large", tooLarge(limit)).withHeader("Connection", "close");
        }
        String timestamp = ctx.header(TIMESTAMP);
        String signed = ctx.header(SIGNATURE);
        if (timestamp == null || signed == null) {
            return refuse(
                    "unsigned",
                    unauthorized("the call is not signed: " + SIGNATURE + " and " + TIMESTAMP
                            + " are required (turn on Signed Event Webhook in SendGrid)"));
        }
        Instant signedAt = signedAt(timestamp);
        if (signedAt == null) {
            return refuse("stale", unauthorized(TIMESTAMP + " is not a time in epoch seconds"));
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(config.replayWindow()) > 0) {
            return refuse(
                    "stale",
                    unauthorized(TIMESTAMP + " is more than feedback.sendgrid.replayWindow from now: "
                            + "a replayed call, or a clock that is off"));
        }
        if (!signature.verify(timestamp, body, signed)) {
            return refuse(
                    "bad_signature",
                    unauthorized("the signature does not match the body and timestamp under "
                            + "feedback.sendgrid.publicKey"));
        }
        JsonNode events;
        try {
            events = json.read(body);
        } catch (JsonProcessingException e) {
            return refuse(
                    "not_json",
                    json.error(
                            HttpStatus.BAD_REQUEST.getCode(),
                            "request body is not valid JSON: " + ApiJson.describe(e)));
        }
        if (events == null || !events.isArray()) {
            return refuse(
                    "not_json",
                    json.error(HttpStatus.BAD_REQUEST.getCode(), "request body must be a JSON array of events"));
        }
        return record(events, signedAt);
    }

    private Reply record(JsonNode events, Instant signedAt) {
        int recorded = 0;
        int duplicates = 0;
        int ignored = 0;
        int malformed = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            switch (SendGridEvent.read(events.get(i), signedAt)) {
                case SendGridEvent.Ignored event -> {
                    ignored++;
                    metrics.feedbackEvent(SendGridEvent.SOURCE, event.type(), "ignored");
                }
                case SendGridEvent.Malformed event -> {
                    // Sending it again would not mend it: counted and named in the answer, the batch goes on.
                    malformed++;
                    metrics.feedbackEvent(SendGridEvent.SOURCE, event.type(), "malformed");
                    if (problems.size() < MAX_PROBLEMS) {
                        problems.add("events[" + i + "] " + event.problem());
                    }
                }
                case SendGridEvent.Mapped event -> {
                    String eventId = event.event().eventId();
                    try {
                        if (!eventIds.claim(SendGridEvent.SOURCE, eventId)) {
                            duplicates++;
                            metrics.feedbackEvent(SendGridEvent.SOURCE, event.type(), "duplicate");
                            continue;
                        }
                    } catch (FeedbackStoreException e) {
                        return unavailable(e);
                    }
                    try {
                        sink.accept(event.event());
                    } catch (RuntimeException e) {
                        release(eventId);
                        if (e instanceof FeedbackStoreException store) {
                            return unavailable(store);
                        }
                        throw e;
                    }
                    recorded++;
                    metrics.feedbackEvent(SendGridEvent.SOURCE, event.type(), "recorded");
                }
            }
        }
        return json.reply(
                HttpStatus.OK.getCode(),
                new Recorded(events.size(), recorded, duplicates, ignored, malformed, List.copyOf(problems)));
    }

    /** Best effort: if even this fails, the event stays claimed and its redelivery is skipped (logged). */
    private void release(String eventId) {
        try {
            eventIds.release(SendGridEvent.SOURCE, eventId);
        } catch (RuntimeException e) {
            log.error(
                    "a SendGrid event that was not recorded stays marked as seen, its redelivery will be skipped: {}",
                    e.getMessage());
        }
    }

    private Reply unavailable(FeedbackStoreException e) {
        metrics.feedbackRefused(SendGridEvent.SOURCE, "store_unavailable");
        log.warn("SendGrid feedback not recorded, answering 503 so SendGrid delivers it again: {}", e.getMessage());
        return json.error(HttpStatus.SERVICE_UNAVAILABLE.getCode(), "Feedback cannot be recorded now; deliver again")
                .withHeader("Retry-After", Integer.toString(Intake.RETRY_AFTER_SECONDS));
    }

    private Reply refuse(String reason, Reply reply) {
        metrics.feedbackRefused(SendGridEvent.SOURCE, reason);
        log.debug("SendGrid webhook call refused: {}", reason);
        return reply;
    }

    private Reply unauthorized(String message) {
        return json.error(HttpStatus.UNAUTHORIZED.getCode(), message);
    }

    private Reply tooLarge(int limit) {
        return json.error(
                HttpStatus.CONTENT_TOO_LARGE.getCode(),
                "request body is more than " + limit + " bytes; the limit is feedback.sendgrid.maxBodyBytes");
    }

    private static Instant signedAt(String timestamp) {
        String digits = timestamp.strip();
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Instant.ofEpochSecond(Long.parseLong(digits));
    }
}
