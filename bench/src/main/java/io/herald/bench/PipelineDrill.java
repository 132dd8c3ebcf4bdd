package io.herald.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Drill 1: the pipeline against the SQS drain floor measured in the same run (see {@link PipelineBench}). */
public final class PipelineDrill implements Drill {

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public String description() {
        return "pipeline throughput vs the SQS drain floor (no-op provider, HTTP fake at 100 ms), "
                + "SQS requests per message, idle receives; --messages 10000 --repeats 3 --idle-seconds 60, ~3 min";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options = DrillOptions.parse(name(), context.args(), Set.of("--messages", "--repeats", "--idle-seconds"));
        int messages = options.intOption("--messages", 10_000, 100);
        int repeats = options.intOption("--repeats", 3, 1);
        Duration idle = options.secondsOption("--idle-seconds", Duration.ofSeconds(60), 1);
        Map<String, Object> r = new PipelineBench(messages, repeats, idle, context.progress()).run();
        String table = String.format(Locale.ROOT, """
                Pipeline: %d messages per run, median of %d runs, one ElasticMQ on loopback
                | run                          | msg/s  | ratio to floor | SQS requests / msg |
                |------------------------------|--------|----------------|--------------------|
                | drain floor (8 threads)      | %6.0f | 1.00           | %.3f              |
                | pipeline, no-op provider     | %6.0f | %.2f           | %.3f              |
                | pipeline, HTTP fake @ 100 ms | %6.0f | %.2f           | %.3f              |
                Idle: %.1f ReceiveMessage per queue per minute.
                """, messages, repeats,
                (double) r.get("floorMessagesPerSecond"), (double) r.get("floorRequestsPerMessage"),
                (double) r.get("noopMessagesPerSecond"), (double) r.get("noopRatioToFloor"), (double) r.get("noopRequestsPerMessage"),
                (double) r.get("http100MessagesPerSecond"), (double) r.get("http100RatioToFloor"), (double) r.get("http100RequestsPerMessage"),
                (double) r.get("idleReceivesPerQueuePerMinute"));
        return new DrillResult(r, table, List.of());
    }
}
