package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.envelope.Envelope;
import io.herald.core.receiver.Receiver;
import io.herald.core.sqs.EnqueueResult;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gomail's {@code POST /email/send}: validate, wrap in an envelope, put it on a queue, and answer 200 only once SQS has
 * accepted it, so a 200 means the email will be delivered or dead-lettered.
 */
final class SendEmailHandler implements Intake.Submission {

    private static final Logger log = LoggerFactory.getLogger(SendEmailHandler.class);

    static final int RETRY_AFTER_SECONDS = Intake.RETRY_AFTER_SECONDS;

    private final RequestEnqueuer dispatcher;
    private final Clock clock;
    private final ApiJson json;
    private final Intake intake;

    SendEmailHandler(RequestEnqueuer dispatcher, Clock clock, ApiJson json, Intake intake) {
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.json = json;
        this.intake = intake;
    }

    @Override
    public String expectedBody() {
        return "a JSON object with an \"email\" object";
    }

    @Override
    public Reply submit(Caller caller, JsonNode root, BatchingEnqueuer.Arrival arrival) throws InterruptedException {
        JsonNode email = root.get("email");
        if (email == null || !email.isObject()) {
            return json.error(HttpStatus.BAD_REQUEST.getCode(), "request body must have an \"email\" object");
        }
        EmailRequest request;
        switch (EmailRequest.parse(email)) {
            case EmailRequest.Parsed.Invalid invalid -> {
                return json.errors(HttpStatus.UNPROCESSABLE_CONTENT.getCode(), invalid.errors());
            }
            case EmailRequest.Parsed.Valid valid -> request = valid.request();
        }
        if (!caller.maySendAs(request.fromEmail())) {
            return json.errors(
                    HttpStatus.FORBIDDEN.getCode(),
                    Map.of("fromEmail", "API key '" + caller.name() + "' may not send as " + request.fromEmail()));
        }
        if (!caller.mayReach(new Receiver("mailto", "email", request.toEmail()))) {
            return json.errors(
                    HttpStatus.FORBIDDEN.getCode(),
                    Map.of(
                            "toEmail",
                            "API key '" + caller.name() + "' may not send to mailto:" + request.toEmail()
                                    + " (see its receivers= in api.keys)"));
        }
        Optional<Reply> limited = intake.chargeMessages(caller, 1);
        if (limited.isPresent()) {
            return limited.get();
        }
        Envelope envelope = request.toEnvelope(clock.instant(), caller.name());
        EnqueueResult result = dispatcher.dispatch(arrival, List.of(envelope)).getFirst();
        if (result instanceof EnqueueResult.NotEnqueued) {
            intake.refundMessages(caller, 1);
        }
        return switch (result) {
            case EnqueueResult.Enqueued enqueued ->
                json.reply(HttpStatus.OK.getCode(), new ApiJson.MessageAccepted(enqueued.envelopeId()));
            case EnqueueResult.NotEnqueued failed
            when failed.retryable() -> {
                log.warn(
                        "email {} not enqueued: {} ({}); answering 503",
                        failed.envelopeId(),
                        failed.code(),
                        failed.reason());
                yield intake.unavailable();
            }
            case EnqueueResult.NotEnqueued tooLarge
            when EnqueueResult.MESSAGE_TOO_LARGE.equals(tooLarge.code()) ->
                json.errors(
                        HttpStatus.UNPROCESSABLE_CONTENT.getCode(),
                        Map.of("body", "Body is too large to queue: " + tooLarge.reason()));
            case EnqueueResult.NotEnqueued refused -> {
                // Sending it again cannot succeed, so 503 would be a lie; say what SQS said, minus its details.
                log.warn("email {} refused: {} ({})", refused.envelopeId(), refused.code(), refused.reason());
                yield json.error(
                        HttpStatus.UNPROCESSABLE_CONTENT.getCode(),
                        "The queue refused this email (" + refused.code() + ")");
            }
        };
    }
}
