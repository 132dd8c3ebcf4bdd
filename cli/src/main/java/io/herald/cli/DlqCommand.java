package io.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Redactor;
import io.herald.core.sqs.DeadLetter;
import io.herald.core.sqs.DeadLetterFilter;
import io.herald.core.sqs.DeadLetterQueue;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.RedriveResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = {
            "Inspect the dead-letter queues and move messages back to their queues.",
            "Reading a dead-letter queue hides its messages for a moment (SQS has no peek) and makes them "
                    + "visible again at once; only redrive deletes, after the message is back on its queue."
        },
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ShowCommand.class, DlqCommand.RedriveCommand.class})
final class DlqCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Herald.missingSubcommand(spec);
    }

    /** For list and show, which only read SQS. */
    static <T> T withDeadLetters(OpsTarget target, Function<DeadLetters, T> work) {
        HeraldConfig cfg = target.load();
        try (Services.Queues queues = target.connect(cfg)) {
            return work.apply(new DeadLetters(
                    new DeadLetterQueue(queues.sqs(), queues.refs(), null),
                    queues.refs(),
                    Redactor.forProviders(cfg.providers())));
        }
    }

    /** For redrive: redriven messages start over as queued in the status table (the table must exist). */
    static <T> T withDeadLettersAndStatus(OpsTarget target, Function<DeadLetters, T> work) {
        HeraldConfig cfg = target.load();
        try (Services.Queues queues = target.connect(cfg);
                StatusStores stores = StatusStores.open(cfg, false, Clock.systemUTC())) {
            return work.apply(new DeadLetters(
                    new DeadLetterQueue(queues.sqs(), queues.refs(), stores.status()),
                    queues.refs(),
                    Redactor.forProviders(cfg.providers())));
        }
    }

    /**
     * @param redactor masks the configured providers' secrets in the reasons printed: a reason stored before Herald
     *     redacted every encoding of a secret (issue 15) may still hold one
     */
    record DeadLetters(DeadLetterQueue queue, List<QueueRef> refs, Redactor redactor) {
        String names() {
            return refs.stream().map(QueueRef::deadLetterName).collect(Collectors.joining(", "));
        }

        DeadLetter redacted(DeadLetter letter) {
            return letter.withReason(redactor.redact(letter.reason()));
        }
    }

    /** One dead-lettered message as {@code --json} prints it in a list: everything but the body. */
    record Listed(
            String id,
            String messageId,
            String channel,
            String target,
            String provider,
            String reason,
            String queue,
            String deadLetterQueue,
            Instant deadLetteredAt) {
        static Listed of(DeadLetter l) {
            return new Listed(
                    l.id(),
                    l.messageId(),
                    l.channel(),
                    l.target(),
                    l.provider(),
                    l.reason(),
                    l.queue(),
                    l.deadLetterQueue(),
                    l.deadLetteredAt());
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List dead-lettered messages, oldest first, with their reason; nothing is removed.")
    static final class ListCommand implements Callable<Integer> {

        @Mixin
        OpsTarget target;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--channel",
                paramLabel = "CHANNEL",
                completionCandidates = RegistryCandidates.ChannelNames.class,
                description = "Only messages of this channel (${COMPLETION-CANDIDATES}).")
        String channel;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "1000",
                description = "List at most N messages (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw Herald.usage(spec, "--limit must be at least 1, not " + limit);
            }
            DeadLetterFilter filter = DeadLetterFilter.ALL.withChannel(channel);
            PrintWriter out = spec.commandLine().getOut();
            return withDeadLetters(target, dl -> {
                List<DeadLetter> found = dl.queue().list(filter, limit).stream()
                        .map(dl::redacted)
                        .toList();
                if (target.json) {
                    JsonOutput.print(
                            out,
                            java.util.Map.of(
                                    "deadLetters",
                                    found.stream().map(Listed::of).toList()));
                    return 0;
                }
                if (found.isEmpty()) {
                    out.println("No dead-lettered messages" + (channel == null ? "" : " on channel " + channel) + " in "
                            + dl.names() + ".");
                    out.flush();
                    return 0;
                }
                TextTable table =
                        new TextTable("ID", "CHANNEL", "TARGET", "PROVIDER", "DEAD-LETTERED", "QUEUE", "REASON");
                found.forEach(l -> table.row(
                        l.id(),
                        l.channel(),
                        l.target(),
                        l.provider(),
                        l.deadLetteredAt().truncatedTo(ChronoUnit.SECONDS),
                        l.queue(),
                        l.reason()));
                table.print(out);
                out.println(found.size() + " message(s)"
                        + (found.size() == limit ? " (the --limit; there may be more)" : "")
                        + ". `herald dlq show ID` prints one with its body.");
                out.flush();
                return 0;
            });
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description =
                    "Print one dead-lettered message with its reason and body; it stays in the dead-letter queue.")
    static final class ShowCommand implements Callable<Integer> {

        @Mixin
        OpsTarget target;

        @Spec
        CommandSpec spec;

        @Parameters(
                paramLabel = "ID",
                description = "The message's id (the one the API answered) or its SQS message id.")
        String id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return withDeadLetters(
                    target,
                    dl -> dl.queue()
                            .show(id.strip())
                            .map(dl::redacted)
                            .map(l -> {
                                if (target.json) {
                                    JsonOutput.print(out, l);
                                    return 0;
                                }
                                out.printf(
                                        "id               %s%nSQS message id   %s%nchannel          "
                                                + "%s%ntarget           %s%n"
                                                + "provider         %s%nreason           %s%nqueue     "
                                                + "       %s (dead-letter queue %s)%n"
                                                + "dead-lettered    %s%nbody%n%s%n",
                                        l.id(),
                                        l.messageId(),
                                        orNone(l.channel()),
                                        orNone(l.target()),
                                        orNone(l.provider()),
                                        l.reason(),
                                        l.queue(),
                                        l.deadLetterQueue(),
                                        l.deadLetteredAt(),
                                        prettyBody(l.body()));
                                out.flush();
                                return 0;
                            })
                            .orElseGet(() -> {
                                spec.commandLine()
                                        .getErr()
                                        .println("herald: no dead-lettered message with id '" + id.strip() + "' in "
                                                + dl.names());
                                return 1;
                            }));
        }

        private static String orNone(String value) {
            return value == null ? TextTable.NONE : value;
        }

        private static String prettyBody(String body) {
            try {
                return JsonOutput.mapper()
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(JsonOutput.mapper().readTree(body));
            } catch (JsonProcessingException e) {
                return body;
            }
        }
    }

    @Command(
            name = "redrive",
            mixinStandardHelpOptions = true,
            description = {
                "Move dead-lettered messages back to the queue they came from, as new messages (their "
                        + "attempts start again). Each is sent first and deleted from the dead-letter "
                        + "queue after, so a "
                        + "crash can duplicate a message but never lose one.",
                "Each moved message's status starts over as queued, so the status table follows its new attempts.",
                "A message that is dead-lettered again while the redrive runs is moved only once and left "
                        + "where it is. Progress goes to stderr. Exits 1 when SQS refused to take some back (they "
                        + "stay in the dead-letter queue)."
            })
    static final class RedriveCommand implements Callable<Integer> {

        private static final long PROGRESS_INTERVAL_NANOS =
                java.time.Duration.ofSeconds(1).toNanos();

        @Mixin
        OpsTarget target;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--filter",
                paramLabel = "KEY=VALUE",
                description =
                        "Only matching messages: channel=NAME, provider=NAME or reason=TEXT (a substring, any case). "
                                + "Repeat to combine; all must match. Default: every message.")
        List<String> filters = List.of();

        @Option(names = "--dry-run", description = "Count what would move; move nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            DeadLetterFilter filter;
            try {
                filter = DeadLetterFilter.parse(filters);
            } catch (IllegalArgumentException e) {
                throw Herald.usage(spec, e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return withDeadLettersAndStatus(target, dl -> {
                long approximate = dl.queue().approximateTotal();
                String verb = dryRun ? "would move" : "moved";
                long[] lastPrint = {System.nanoTime() - PROGRESS_INTERVAL_NANOS};
                RedriveResult result = dl.queue().redrive(filter, dryRun, r -> {
                    // The first batch, then at most one line a second, on stderr: --json output stays one document.
                    if (System.nanoTime() - lastPrint[0] >= PROGRESS_INTERVAL_NANOS) {
                        lastPrint[0] = System.nanoTime();
                        err.printf(
                                "herald: redrive: %d examined (about %d waiting at the start), %d %s%n",
                                r.examined(), approximate, dryRun ? r.matched() : r.moved(), verb);
                        err.flush();
                    }
                });
                if (target.json) {
                    JsonOutput.print(out, result);
                } else {
                    out.printf(
                            "%s %d dead-lettered message(s) back to their queues (%d examined%s).%n",
                            dryRun ? "Dry run: would move" : "Moved",
                            dryRun ? result.matched() : result.moved(),
                            result.examined(),
                            filters.isEmpty() ? "" : ", filter " + String.join(", ", filters));
                    out.flush();
                }
                if (result.returned() > 0) {
                    err.println(
                            "herald: " + result.returned() + " message(s) came back to the dead-letter queue while the "
                                    + "redrive ran and were left there: whatever failed them still "
                                    + "fails (see `herald dlq list`)");
                }
                if (result.doubled() > 0) {
                    err.println(
                            "herald: " + result.doubled() + " message(s) were sent back but could not be deleted from "
                                    + "the dead-letter queue; they are in both (run the redrive again "
                                    + "or delete them by hand)");
                }
                if (result.failed() > 0) {
                    err.println("herald: SQS refused to take back " + result.failed() + " message(s); they stay in the "
                            + "dead-letter queue");
                    return 1;
                }
                return 0;
            });
        }
    }
}
