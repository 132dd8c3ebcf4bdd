package io.herald.api;

import io.herald.core.feedback.FeedbackEventIds;
import io.herald.core.feedback.FeedbackSink;
import io.herald.core.feedback.FeedbackStoreException;
import io.herald.core.feedback.FeedbackWebhook;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/feedback/{provider}}: a provider's feedback webhook, whichever provider offers one
 * ({@link FeedbackWebhook}, from its descriptor). Needs no API key (providers cannot send one); instead the provider's
 * webhook verifies every call (a signature over the body, a recent timestamp), and anything it refuses is answered 401
 * before a single event is read, so a forged or replayed call changes nothing.
 *
 * <p>Each event is recorded once however often the provider delivers it: its event id is claimed in the status table
 * first. When recording fails the claim is given back and the call answered 503, so the provider delivers the batch
 * again; the events recorded before the failure are then skipped as duplicates.
 */
final class FeedbackWebhookHandler implements Handler {

    private static final Logger log = LoggerFactory.getLogger(FeedbackWebhookHandler.class);

    /** Problems listed in an answer at most; the rest are counted. */
    private static final int MAX_PROBLEMS = 20;

    /** What one call did with its batch (the answer's body; providers ignore it, people testing the hook read it). */
    record Recorded(int received, int recorded, int duplicates, int ignored, int malformed, List<String> problems) {}

    private final Map<String, FeedbackWebhook> webhooks;
    private final FeedbackSink sink;
    private final FeedbackEventIds eventIds;
    private final ApiJson json;
    private final ApiMetrics metrics;
    private final Clock clock;

    /**
     * @param webhooks provider name → its webhook; a name not here is answered 404
     * @param sink null, or {@code eventIds} null, or the webhook switched off: the endpoint answers 503
     */
    FeedbackWebhookHandler(
            Map<String, FeedbackWebhook> webhooks,
            FeedbackSink sink,
            FeedbackEventIds eventIds,
            ApiJson json,
            ApiMetrics metrics,
            Clock clock) {
        this.webhooks = Map.copyOf(webhooks);
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
        String provider = ctx.pathParam("provider");
        FeedbackWebhook webhook = webhooks.get(provider);
        if (webhook == null) {
            // Not counted: the label would be whatever a caller typed.
            return json.error(
                    HttpStatus.NOT_FOUND.getCode(),
                    "no provider takes feedback at this path; these do: "
                            + webhooks.keySet().stream().sorted().toList());
        }
        if (!webhook.enabled() || sink == null || eventIds == null) {
            return json.error(HttpStatus.SERVICE_UNAVAILABLE.getCode(), webhook.offReason());
        }
        int limit = webhook.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            return refuse(provider, "too_large", tooLarge(limit, webhook)).withHeader("Connection", "close");
        }
        byte[] body;
        try {
            if (declared >= 0) {
                body = Intake.readDeclared(ctx.bodyInputStream(), (int) declared);
                Intake.markBodyRead(ctx);
            } else {
                body = ctx.bodyInputStream().readNBytes(limit + 1);
            }
        } catch (IOException cutShort) {
            return json.error(HttpStatus.BAD_REQUEST.getCode(), Intake.BODY_CUT_SHORT);
        }
        if (body.length > limit) {
            return refuse(provider, "too_large", tooLarge(limit, webhook)).withHeader("Connection", "close");
        }
        return switch (webhook.verify(ctx::header, body, clock.instant())) {
            case FeedbackWebhook.Verdict.Refused refused ->
                refuse(provider, refused.reason(), json.error(HttpStatus.UNAUTHORIZED.getCode(), refused.message()));
            case FeedbackWebhook.Verdict.Accepted accepted ->
                switch (webhook.parse(body, accepted.signedAt())) {
                    case FeedbackWebhook.Batch.Unreadable unreadable ->
                        refuse(
                                provider,
                                unreadable.reason(),
                                json.error(HttpStatus.BAD_REQUEST.getCode(), unreadable.message()));
                    case FeedbackWebhook.Batch.Events events -> record(provider, events.events());
                };
        };
    }

    private Reply record(String provider, List<FeedbackWebhook.Event> events) {
        int recorded = 0;
        int duplicates = 0;
        int ignored = 0;
        int malformed = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            switch (events.get(i)) {
                case FeedbackWebhook.Event.Ignored event -> {
                    ignored++;
                    metrics.feedbackEvent(provider, event.type(), "ignored");
                }
                case FeedbackWebhook.Event.Malformed event -> {
                    // Sending it again would not mend it: counted and named in the answer, the batch goes on.
                    malformed++;
                    metrics.feedbackEvent(provider, event.type(), "malformed");
                    if (problems.size() < MAX_PROBLEMS) {
                        problems.add("events[" + i + "] " + event.problem());
                    }
                }
                case FeedbackWebhook.Event.Mapped event -> {
                    String eventId = event.event().eventId();
                    try {
                        if (!eventIds.claim(provider, eventId)) {
                            duplicates++;
                            metrics.feedbackEvent(provider, event.type(), "duplicate");
                            continue;
                        }
                    } catch (FeedbackStoreException e) {
                        return unavailable(provider, e);
                    }
                    try {
                        sink.accept(event.event());
                    } catch (RuntimeException e) {
                        release(provider, eventId);
                        if (e instanceof FeedbackStoreException store) {
                            return unavailable(provider, store);
                        }
                        throw e;
                    }
                    recorded++;
                    metrics.feedbackEvent(provider, event.type(), "recorded");
                }
            }
        }
        return json.reply(
                HttpStatus.OK.getCode(),
                new Recorded(events.size(), recorded, duplicates, ignored, malformed, List.copyOf(problems)));
    }

    /** Best effort: if even this fails, the event stays claimed and its redelivery is skipped (logged). */
    private void release(String provider, String eventId) {
        try {
            eventIds.release(provider, eventId);
        } catch (RuntimeException e) {
            log.error(
                    "a {} feedback event that was not recorded stays marked as seen, its redelivery is skipped: {}",
                    provider,
                    e.getMessage());
        }
    }

    private Reply unavailable(String provider, FeedbackStoreException e) {
        metrics.feedbackRefused(provider, "store_unavailable");
        log.warn("{} feedback not recorded, answering 503 so it is delivered again: {}", provider, e.getMessage());
        return json.error(HttpStatus.SERVICE_UNAVAILABLE.getCode(), "Feedback cannot be recorded now; deliver again")
                .withHeader("Retry-After", Integer.toString(Intake.RETRY_AFTER_SECONDS));
    }

    private Reply refuse(String provider, String reason, Reply reply) {
        metrics.feedbackRefused(provider, reason);
        log.debug("{} feedback call refused: {}", provider, reason);
        return reply;
    }

    private Reply tooLarge(int limit, FeedbackWebhook webhook) {
        return json.error(
                HttpStatus.CONTENT_TOO_LARGE.getCode(),
                "request body is more than " + limit + " bytes; the limit is " + webhook.maxBodyBytesKey());
    }
}
