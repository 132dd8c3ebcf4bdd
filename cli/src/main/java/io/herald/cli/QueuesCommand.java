package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "queues", mixinStandardHelpOptions = true,
        description = {"Show each configured queue and its dead-letter queue: messages waiting, in flight (received, "
                + "not yet settled) and delayed, as SQS estimates them (up to a minute behind).",
                "Oldest age prints as — : SQS's GetQueueAttributes does not report it (in AWS it is the CloudWatch "
                        + "metric ApproximateAgeOfOldestMessage); `herald dlq list` shows when each dead letter arrived."})
final class QueuesCommand implements Callable<Integer> {

    @Mixin
    OpsTarget target;

    @Spec
    CommandSpec spec;

    /** The {@code --json} shape, the same as a queue entry of the API's admin overview. */
    record QueueJson(String queue, long depth, long inFlight, long delayed, Long oldestAgeSeconds, DeadLetterJson deadLetter) {
        static QueueJson of(QueueStats s) {
            QueueStats.Depth q = s.queue();
            QueueStats.Depth d = s.deadLetter();
            return new QueueJson(q.name(), q.depth(), q.inFlight(), q.delayed(), q.oldestAgeSeconds(),
                    new DeadLetterJson(d.name(), d.depth(), d.inFlight(), d.delayed(), d.oldestAgeSeconds()));
        }
    }

    record DeadLetterJson(String queue, long depth, long inFlight, long delayed, Long oldestAgeSeconds) {
    }

    @Override
    public Integer call() {
        HeraldConfig cfg = target.load();
        List<QueueStats> stats;
        try (Services.Queues queues = target.connect(cfg)) {
            stats = QueueStats.of(queues.sqs(), queues.refs());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (target.json) {
            JsonOutput.print(out, Map.of("queues", stats.stream().map(QueueJson::of).toList()));
            return 0;
        }
        TextTable table = new TextTable("QUEUE", "WAITING", "IN FLIGHT", "DELAYED", "OLDEST").numeric(1, 2, 3);
        for (QueueStats s : stats) {
            for (QueueStats.Depth d : List.of(s.queue(), s.deadLetter())) {
                table.row(d.name(), d.depth(), d.inFlight(), d.delayed(),
                        d.oldestAgeSeconds() == null ? null : d.oldestAgeSeconds() + "s");
            }
        }
        table.print(out);
        return 0;
    }
}
