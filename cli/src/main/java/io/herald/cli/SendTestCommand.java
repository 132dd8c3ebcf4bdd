package io.herald.cli;

import io.herald.core.config.Durations;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.receiver.ParsedReceivers;
import io.herald.core.receiver.Receiver;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.StatusUpdate;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "send-test",
        mixinStandardHelpOptions = true,
        description = {
            "Send one test notification through the real path (recorded as queued and put on SQS as the "
                    + "API does), then follow its status until it is final or the timeout passes, printing each state.",
            "With --json the states go to stderr as they change and the outcome to stdout.",
            "Exits 0 only when it was delivered; 1 when it was rejected, dead-lettered or not final in time."
        })
final class SendTestCommand implements Callable<Integer> {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    @Mixin
    OpsTarget target;

    @Parameters(
            paramLabel = "RECEIVER",
            description = "One receiver as scheme:target, e.g. mailto:you@example.org (GET /v1/channels lists "
                    + "the schemes; a bare name uses receivers.defaultScheme).")
    String receiver;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            description = "How long to wait for a final state, e.g. 30s or 2m (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Spec
    CommandSpec spec;

    /** One state the message was seen in, and when, counted from the moment it was queued. */
    record Seen(String state, String detail, Instant at, long afterMillis) {}

    /** The {@code --json} outcome. */
    record SendTestReport(
            String id,
            String receiver,
            String channel,
            String queue,
            boolean delivered,
            String finalState,
            List<Seen> states) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Duration> parsedTimeout = Durations.parse(timeout);
        if (parsedTimeout.isEmpty() || parsedTimeout.get().isZero()) {
            err.println("herald: --timeout '" + timeout + "' is not a duration above 0 such as 30s, 2m or 500ms");
            return Herald.EXIT_USAGE;
        }
        Duration wait = parsedTimeout.get();
        HeraldConfig cfg = target.load();
        ParsedReceivers parsed =
                ReceiverParser.standard(cfg.receivers().defaultScheme()).parse(receiver);
        if (!parsed.problems().isEmpty() || parsed.receivers().size() != 1) {
            err.println("herald: "
                    + (parsed.problems().isEmpty()
                            ? "give exactly one receiver, not "
                                    + parsed.receivers().size()
                            : "receiver '" + receiver + "': "
                                    + parsed.problems().getFirst().reason()));
            return Herald.EXIT_USAGE;
        }
        Receiver to = parsed.receivers().getFirst();
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        Envelope envelope = Envelope.create(
                to.channel(),
                to.target(),
                Content.of(
                        "Herald test message",
                        "A test notification sent by `herald send-test` at " + now + " to check delivery end to end."),
                Origin.api("send-test"),
                now);
        PrintWriter progress = target.json ? err : out;
        try (Services.Queues queues = target.connect(cfg);
                StatusStores stores = StatusStores.open(cfg, false, clock)) {
            QueueRef queue = queues.refs().getFirst();
            // As the API does: the first state is recorded before SQS has the message, so no later state can lose to
            // it.
            stores.status().recordNew(List.of(new StatusUpdate(envelope.id(), new DeliveryState.Queued(), now)));
            EnqueueResult sent = new SqsProducer(queues.sqs(), new EnvelopeCodec()).send(queue.url(), envelope);
            if (sent instanceof EnqueueResult.NotEnqueued refused) {
                err.println("herald: SQS did not take the test message: " + refused.reason());
                return 1;
            }
            progress.printf(
                    "Sent test message %s to %s via %s; waiting up to %s for its final state%n",
                    envelope.id(), to.scheme() + ":" + to.target(), queue.name(), timeout);
            progress.flush();
            List<Seen> seen = follow(stores, envelope.id(), now, wait, clock, progress);
            Seen last = seen.getLast();
            boolean delivered = "delivered".equals(last.state());
            boolean isFinal = stores.status()
                    .find(envelope.id())
                    .map(u -> u.state().isFinal())
                    .orElse(false);
            if (target.json) {
                JsonOutput.print(
                        out,
                        new SendTestReport(
                                envelope.id(),
                                to.scheme() + ":" + to.target(),
                                to.channel(),
                                queue.name(),
                                delivered,
                                isFinal ? last.state() : null,
                                seen));
            }
            if (delivered) {
                return 0;
            }
            err.println("herald: test message " + envelope.id()
                    + (isFinal
                            ? " was not delivered: " + last.state()
                                    + (last.detail() == null ? "" : " (" + last.detail() + ")")
                            : " has no final state after " + timeout + "; last seen " + last.state()
                                    + (last.state().equals("queued")
                                            ? " (is a pipeline reading " + queue.name() + "?)"
                                            : "")));
            return 1;
        }
    }

    /** Polls the status until it is final or {@code wait} has passed, printing each new state. */
    private List<Seen> follow(
            StatusStores stores, String id, Instant start, Duration wait, Clock clock, PrintWriter progress) {
        List<Seen> seen = new ArrayList<>();
        seen.add(new Seen("queued", null, start, 0));
        print(progress, seen.getLast());
        String lastKey = "queued";
        Instant deadline = start.plus(wait);
        while (true) {
            Optional<StatusUpdate> update = stores.status().find(id);
            if (update.isPresent()) {
                DeliveryState state = update.get().state();
                String detail = detail(state);
                String key = state.name() + "|" + detail;
                if (!key.equals(lastKey)) {
                    lastKey = key;
                    seen.add(new Seen(
                            state.name(),
                            detail,
                            update.get().at(),
                            Duration.between(start, clock.instant()).toMillis()));
                    print(progress, seen.getLast());
                }
                if (state.isFinal()) {
                    return seen;
                }
            }
            if (!clock.instant().isBefore(deadline)) {
                return seen;
            }
            try {
                Thread.sleep(POLL_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return seen;
            }
        }
    }

    private static void print(PrintWriter progress, Seen seen) {
        progress.printf(
                "  %6.1fs  %s%s%n",
                seen.afterMillis() / 1000.0, seen.state(), seen.detail() == null ? "" : "  " + seen.detail());
        progress.flush();
    }

    private static String detail(DeliveryState state) {
        return switch (state) {
            case DeliveryState.Queued q -> null;
            case DeliveryState.Sending s -> "provider " + s.provider();
            case DeliveryState.Delivered d ->
                "provider " + d.provider()
                        + (d.providerMessageId() == null ? "" : ", provider's id " + d.providerMessageId());
            case DeliveryState.Retrying r -> "attempt " + r.attempts() + ": " + r.lastError();
            case DeliveryState.Rejected r -> r.reason();
            case DeliveryState.DeadLettered d -> d.reason();
            case DeliveryState.Bounced b -> (b.permanent() ? "hard bounce: " : "soft bounce: ") + b.diagnostic();
            case DeliveryState.Complained c -> "complaint from the receiver (" + c.source() + ")";
            case DeliveryState.Suppressed x -> x.reason();
        };
    }
}
