package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.envelope.Envelope;
import io.herald.core.receiver.Receiver;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.receiver.ReceiverProblem;
import io.herald.core.sqs.EnqueueResult;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/notifications}: one message per receiver, each queued, retried, dead-lettered
 * and reported on its own. The answer (202) lists an id per receiver queued and every receiver
 * refused, with its reason, so one typo does not cost the other receivers their notification.
 */
final class NotificationsHandler implements Intake.Submission {

    private static final Logger log = LoggerFactory.getLogger(NotificationsHandler.class);

    /** @param status where to ask for this one's delivery state */
    record Queued(String id, String receiver, String channel, String target, String state, String status) {
    }

    record Refused(int position, String item, String reason) {
        static Refused of(ReceiverProblem problem) {
            return new Refused(problem.position(), problem.item(), problem.reason());
        }
    }

    /** A receiver whose message SQS did not take although others of the request went through. */
    record Failed(String receiver, String reason) {
    }

    /** @param failed null when nothing failed, so the usual answer has no empty third list */
    record Accepted(List<Queued> notifications, List<Refused> refused, List<Failed> failed) {
    }

    record Invalid(Map<String, String> errors, List<Refused> refused) {
    }

    private final ReceiverParser receivers;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final ApiJson json;
    private final Intake intake;
    private final RecentRejections rejections;

    NotificationsHandler(ReceiverParser receivers, Dispatcher dispatcher, Clock clock, ApiJson json, Intake intake,
                         RecentRejections rejections) {
        this.receivers = receivers;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.json = json;
        this.intake = intake;
        this.rejections = rejections;
    }

    @Override
    public String expectedBody() {
        return "a JSON object with \"to\" and \"text\"";
    }

    @Override
    public Reply submit(Caller caller, JsonNode body, BatchingEnqueuer.Arrival arrival) throws InterruptedException {
        NotificationRequest request;
        switch (NotificationRequest.parse(body, receivers)) {
            case NotificationRequest.Parsed.Invalid invalid -> {
                invalid.refused().forEach(p -> rejections.refused(p.item(), p.reason()));
                return json.reply(HttpStatus.UNPROCESSABLE_CONTENT.getCode(),
                        new Invalid(invalid.errors(), invalid.refused().stream().map(Refused::of).toList()));
            }
            case NotificationRequest.Parsed.Valid valid -> request = valid.request();
        }
        request.refused().forEach(p -> rejections.refused(p.item(), p.reason()));
        if (request.from() != null && !caller.maySendAs(request.from())) {
            return json.errors(HttpStatus.FORBIDDEN.getCode(), Map.of("from",
                    "API key '" + caller.name() + "' may not send as " + request.from()));
        }
        List<Envelope> envelopes = request.toEnvelopes(clock.instant(), caller.name());
        List<EnqueueResult> results = dispatcher.dispatch(arrival, envelopes);

        List<Queued> queued = new ArrayList<>();
        List<Failed> failed = new ArrayList<>();
        boolean anyRetryable = false;
        EnqueueResult.NotEnqueued tooLarge = null;
        for (int i = 0; i < results.size(); i++) {
            Receiver receiver = request.receivers().get(i);
            String written = receiver.scheme() + ":" + receiver.target();
            switch (results.get(i)) {
                case EnqueueResult.Enqueued enqueued -> queued.add(new Queued(enqueued.envelopeId(), written,
                        receiver.channel(), receiver.target(), "queued", "/v1/notifications/" + enqueued.envelopeId()));
                case EnqueueResult.NotEnqueued failure -> {
                    log.warn("notification {} to {} not enqueued: {} ({})", failure.envelopeId(), receiver.channel(),
                            failure.code(), failure.reason());
                    anyRetryable |= failure.retryable();
                    if (EnqueueResult.MESSAGE_TOO_LARGE.equals(failure.code())) {
                        tooLarge = failure;
                    }
                    failed.add(new Failed(written, failure.retryable()
                            ? "Service unavailable: not queued; send it again"
                            : "Not queued: the queue refused it (" + failure.code() + ")"));
                }
            }
        }
        if (queued.isEmpty()) {
            if (anyRetryable) {
                return intake.unavailable();
            }
            if (tooLarge != null) {
                return json.errors(HttpStatus.UNPROCESSABLE_CONTENT.getCode(),
                        Map.of("text", "The notification is too large to queue: " + tooLarge.reason()));
            }
            return json.error(HttpStatus.UNPROCESSABLE_CONTENT.getCode(), "The queue refused this notification");
        }
        List<Refused> refused = request.refused().stream().map(Refused::of).toList();
        return json.reply(HttpStatus.ACCEPTED.getCode(), new Accepted(queued, refused, failed.isEmpty() ? null : failed));
    }
}
