package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.callback.CallbackTargets;
import io.herald.core.envelope.Envelope;
import io.herald.core.receiver.Receiver;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.receiver.ReceiverProblem;
import io.herald.core.sqs.EnqueueResult;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/notifications}: one message per receiver, each queued, retried, dead-lettered and reported on its
 * own. The answer (202) lists an id per receiver queued and every receiver refused, with its reason, so one typo does
 * not cost the other receivers their notification.
 */
final class NotificationsHandler implements Intake.Submission {

    private static final Logger log = LoggerFactory.getLogger(NotificationsHandler.class);

    /** @param status where to ask for this one's delivery state */
    record Queued(String id, String receiver, String channel, String target, String state, String status) {}

    record Refused(int position, String item, String reason) {
        static Refused of(ReceiverProblem problem) {
            return new Refused(
                    problem.position(),
                    NotificationRequest.bounded(problem.item(), NotificationRequest.MAX_ITEM_CHARS),
                    NotificationRequest.bounded(problem.reason(), NotificationRequest.MAX_REASON_CHARS));
        }

        /** The first {@link NotificationRequest#MAX_REFUSALS_LISTED}, bounded each. */
        static List<Refused> listed(List<ReceiverProblem> problems) {
            return problems.stream()
                    .limit(NotificationRequest.MAX_REFUSALS_LISTED)
                    .map(Refused::of)
                    .toList();
        }

        /** @return how many refusals {@link #listed} left out, or null when none (so the field is absent) */
        static Integer more(List<ReceiverProblem> problems) {
            int more = problems.size() - NotificationRequest.MAX_REFUSALS_LISTED;
            return more > 0 ? more : null;
        }
    }

    /** A receiver whose message SQS did not take although others of the request went through. */
    record Failed(String receiver, String reason) {}

    /**
     * @param refusedMore refused items not listed in {@code refused}; null (absent) when all are listed
     * @param failed null when nothing failed, so the usual answer has no empty third list
     */
    record Accepted(List<Queued> notifications, List<Refused> refused, Integer refusedMore, List<Failed> failed) {}

    record Invalid(Map<String, String> errors, List<Refused> refused, Integer refusedMore) {}

    private final ReceiverParser receivers;
    private final RequestEnqueuer dispatcher;
    private final Clock clock;
    private final ApiJson json;
    private final Intake intake;
    private final RecentRejections rejections;
    private final int maxReceiversPerRequest;
    private final CallbackPolicy callbacks;

    /**
     * Where status callbacks may go.
     *
     * @param targets checks each callback URL; null when callbacks are off (callbacks.secret unset)
     * @param keyDefaults API key name → the callback URL of its requests that name none
     */
    record CallbackPolicy(CallbackTargets targets, Map<String, String> keyDefaults) {
        static CallbackPolicy off() {
            return new CallbackPolicy(null, Map.of());
        }

        /** The URL a request's messages report to: its own, else its key's default (callbacks on only), else null. */
        String urlFor(NotificationRequest request, Caller caller) {
            if (request.callbackUrl() != null || targets == null) {
                return request.callbackUrl();
            }
            return keyDefaults.get(caller.name());
        }
    }

    /** @param maxReceiversPerRequest api.maxReceiversPerRequest: items of {@code to} read at most */
    NotificationsHandler(
            ReceiverParser receivers,
            RequestEnqueuer dispatcher,
            Clock clock,
            ApiJson json,
            Intake intake,
            RecentRejections rejections,
            int maxReceiversPerRequest,
            CallbackPolicy callbacks) {
        this.maxReceiversPerRequest = maxReceiversPerRequest;
        this.callbacks = callbacks;
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
        switch (NotificationRequest.parse(
                body, receivers, maxReceiversPerRequest, caller.maxReceivers(maxReceiversPerRequest))) {
            case NotificationRequest.Parsed.Invalid invalid -> {
                remember(invalid.refused());
                return json.reply(
                        HttpStatus.UNPROCESSABLE_CONTENT.getCode(),
                        new Invalid(
                                invalid.errors(), Refused.listed(invalid.refused()), Refused.more(invalid.refused())));
            }
            case NotificationRequest.Parsed.Valid valid -> request = valid.request();
        }
        remember(request.refused());
        if (request.from() != null && !caller.maySendAs(request.from())) {
            return json.errors(
                    HttpStatus.FORBIDDEN.getCode(),
                    Map.of("from", "API key '" + caller.name() + "' may not send as " + request.from()));
        }
        List<String> unreachable = request.receivers().stream()
                .filter(r -> !caller.mayReach(r))
                .map(r -> r.scheme() + ":" + r.target())
                .toList();
        if (!unreachable.isEmpty()) {
            return json.errors(
                    HttpStatus.FORBIDDEN.getCode(),
                    Map.of(
                            "to",
                            "API key '" + caller.name() + "' may not send to " + named(unreachable)
                                    + " (see its receivers= in api.keys)"));
        }
        String callbackUrl = callbacks.urlFor(request, caller);
        Optional<String> callbackProblem = callbackUrl == null
                ? Optional.empty()
                : callbacks.targets() == null
                        ? Optional.of("cannot be used: callbacks are off on this Herald (callbacks.secret is not set)")
                        : callbacks.targets().problem(callbackUrl);
        if (callbackProblem.isPresent()) {
            String which = request.callbackUrl() != null
                    ? "Callback URL "
                    : "The callback URL of API key '" + caller.name() + "' (callbacks.keyDefaults) ";
            return json.errors(HttpStatus.BAD_REQUEST.getCode(), Map.of("callbackUrl", which + callbackProblem.get()));
        }
        int messages = request.receivers().size();
        if (messages > caller.messageBurst()) {
            return json.errors(
                    HttpStatus.UNPROCESSABLE_CONTENT.getCode(),
                    Map.of(
                            "to",
                            "To has " + messages
                                    + " receivers; API key '" + caller.name() + "' may send at most "
                                    + caller.messageBurst()
                                    + " messages at once (messages= in api.keys)"));
        }
        Optional<Reply> limited = intake.chargeMessages(caller, messages);
        if (limited.isPresent()) {
            return limited.get();
        }
        List<Envelope> envelopes = request.toEnvelopes(clock.instant(), caller.name(), callbackUrl);
        List<EnqueueResult> results = dispatcher.dispatch(arrival, envelopes);

        List<Queued> queued = new ArrayList<>();
        List<Failed> failed = new ArrayList<>();
        boolean anyRetryable = false;
        EnqueueResult.NotEnqueued tooLarge = null;
        for (int i = 0; i < results.size(); i++) {
            Receiver receiver = request.receivers().get(i);
            String written = receiver.scheme() + ":" + receiver.target();
            switch (results.get(i)) {
                case EnqueueResult.Enqueued enqueued ->
                    queued.add(new Queued(
                            enqueued.envelopeId(),
                            written,
                            receiver.channel(),
                            receiver.target(),
                            "queued",
                            "/v1/notifications/" + enqueued.envelopeId()));
                case EnqueueResult.NotEnqueued failure -> {
                    log.warn(
                            "notification {} to {} not enqueued: {} ({})",
                            failure.envelopeId(),
                            receiver.channel(),
                            failure.code(),
                            failure.reason());
                    anyRetryable |= failure.retryable();
                    if (EnqueueResult.MESSAGE_TOO_LARGE.equals(failure.code())) {
                        tooLarge = failure;
                    }
                    failed.add(new Failed(
                            written,
                            failure.retryable()
                                    ? "Service unavailable: not queued; send it again"
                                    : "Not queued: the queue refused it (" + failure.code() + ")"));
                }
            }
        }
        intake.refundMessages(caller, failed.size());
        if (queued.isEmpty()) {
            if (anyRetryable) {
                return intake.unavailable();
            }
            if (tooLarge != null) {
                return json.errors(
                        HttpStatus.UNPROCESSABLE_CONTENT.getCode(),
                        Map.of("text", "The notification is too large to queue: " + tooLarge.reason()));
            }
            return json.error(HttpStatus.UNPROCESSABLE_CONTENT.getCode(), "The queue refused this notification");
        }
        return json.reply(
                HttpStatus.ACCEPTED.getCode(),
                new Accepted(
                        queued,
                        Refused.listed(request.refused()),
                        Refused.more(request.refused()),
                        failed.isEmpty() ? null : failed));
    }

    /** The overview's recent rejections get a request's first refusals only, so one request cannot flush them all. */
    private void remember(List<ReceiverProblem> refused) {
        refused.stream()
                .limit(NotificationRequest.MAX_REFUSALS_LISTED)
                .forEach(p -> rejections.refused(p.item(), p.reason()));
    }

    /** The first few receivers, bounded, and how many more. */
    private static String named(List<String> receivers) {
        String shown = receivers.stream()
                .limit(3)
                .map(r -> NotificationRequest.bounded(r, 100))
                .collect(java.util.stream.Collectors.joining(", "));
        return receivers.size() > 3 ? shown + " and " + (receivers.size() - 3) + " more" : shown;
    }
}
