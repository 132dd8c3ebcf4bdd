package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import io.herald.core.control.ControlStoreException;
import io.herald.core.control.QueueAge;
import io.herald.core.sqs.QueueStats;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "queues",
        mixinStandardHelpOptions = true,
        description = {
            "Show each configured queue and its dead-letter queue: messages waiting, in flight (received, "
                    + "not yet settled) and delayed, as SQS estimates them (up to a minute behind), "
                    + "and how long ago the "
                    + "oldest message was sent.",
            "A queue's oldest age comes from the pipelines: each reports, every control.heartbeatInterval, the "
                    + "oldest message it received from the queue since its last report (a message being retried "
                    + "keeps its first send time, so its age grows); reports older than control.staleAfter do not "
                    + "count, and the queue itself is never received from. For a queue that flows the age can "
                    + "exceed any real wait by up to two report intervals.",
            "A dead-letter queue's is the oldest of up to 10 messages peeked at (received with visibility "
                    + "timeout 0, never deleted), only when messages wait there: approximate.",
            "0s when nothing waits and nothing is in flight; — when unknown, with the reason under the table "
                    + "(oldestAgeFrom in JSON)."
        })
final class QueuesCommand implements Callable<Integer> {

    @Mixin
    OpsTarget target;

    @Spec
    CommandSpec spec;

    /** The {@code --json} shape: a queue entry of the API's admin overview, plus delayed messages. */
    record QueueJson(
            String queue,
            long depth,
            long inFlight,
            long delayed,
            Long oldestAgeSeconds,
            String oldestAgeFrom,
            DeadLetterJson deadLetter) {
        static QueueJson of(QueueStats s) {
            QueueStats.Depth q = s.queue();
            QueueStats.Depth d = s.deadLetter();
            return new QueueJson(
                    q.name(),
                    q.depth(),
                    q.inFlight(),
                    q.delayed(),
                    q.oldestAgeSeconds(),
                    q.oldestAgeFrom().label(),
                    new DeadLetterJson(
                            d.name(),
                            d.depth(),
                            d.inFlight(),
                            d.delayed(),
                            d.oldestAgeSeconds(),
                            d.oldestAgeFrom().label()));
        }
    }

    record DeadLetterJson(
            String queue, long depth, long inFlight, long delayed, Long oldestAgeSeconds, String oldestAgeFrom) {}

    @Override
    public Integer call() {
        HeraldConfig cfg = target.load();
        PrintWriter err = spec.commandLine().getErr();
        List<QueueStats> stats;
        try (Services.Queues queues = target.connect(cfg)) {
            Clock clock = Clock.systemUTC();
            stats = QueueStats.of(queues.sqs(), queues.refs(), queueAges(cfg, clock, err), clock.instant());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (target.json) {
            JsonOutput.print(
                    out, Map.of("queues", stats.stream().map(QueueJson::of).toList()));
            return 0;
        }
        TextTable table = new TextTable("QUEUE", "WAITING", "IN FLIGHT", "DELAYED", "OLDEST").numeric(1, 2, 3, 4);
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (QueueStats s : stats) {
            for (QueueStats.Depth d : List.of(s.queue(), s.deadLetter())) {
                table.row(
                        d.name(),
                        d.depth(),
                        d.inFlight(),
                        d.delayed(),
                        d.oldestAgeSeconds() == null ? null : age(d.oldestAgeSeconds()));
                if (d.oldestAgeSeconds() == null) {
                    unknown.computeIfAbsent(d.oldestAgeFrom().unknownBecause(), why -> new ArrayList<>())
                            .add(d.name());
                }
            }
        }
        table.print(out);
        unknown.forEach((why, names) -> out.println(TextTable.NONE + " " + String.join(", ", names) + ": " + why));
        out.flush();
        return 0;
    }

    /**
     * The pipelines' live reports, or null when the status table cannot be read: the counts are still worth showing, so
     * that is said once on stderr and the ages are left unknown.
     */
    private static List<QueueAge> queueAges(HeraldConfig cfg, Clock clock, PrintWriter err) {
        try (StatusStores stores = StatusStores.open(cfg, false, clock)) {
            return stores.control().queueAges();
        } catch (ControlStoreException e) {
            err.println("herald: queue ages unknown: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    /** An age as people read it at a glance: {@code 12s}, {@code 4m}, {@code 2h}, {@code 3d}. */
    static String age(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86_400 + "d";
    }
}
