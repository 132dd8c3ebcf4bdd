package io.herald.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./herald bench <name>}: runs one benchmark, prints a short table, writes JSON under
 * bench/results. Benchmarks compare only figures measured side by side in the same run.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("""
                    Usage: ./herald bench pipeline [--messages N] [--repeats R] [--idle-seconds S]

                      pipeline   pipeline throughput against the SQS drain floor measured in the same run
                                 (no-op provider; HTTP fake at 100 ms), SQS requests per message, idle receives.
                                 Defaults: 10000 messages, 3 repeats (medians reported), 60 s idle window.
                    Results: bench/results/<name>.json""");
            System.exit(args.length == 0 ? 1 : 0);
        }
        if (!args[0].equals("pipeline")) {
            System.err.println("herald: unknown benchmark '" + args[0] + "'; ./herald bench --help lists them");
            System.exit(1);
        }
        int messages = intOption(args, "--messages", 10_000);
        int repeats = intOption(args, "--repeats", 3);
        int idleSeconds = intOption(args, "--idle-seconds", 60);
        Map<String, Object> r = new PipelineBench(messages, repeats, Duration.ofSeconds(idleSeconds),
                Path.of("bench", "results", "pipeline.json")).run();
        System.out.printf(Locale.ROOT, """

                pipeline benchmark: %d messages per run, median of %d runs, one ElasticMQ on loopback
                | run                          | msg/s  | ratio to floor | SQS requests / msg |
                |------------------------------|--------|----------------|--------------------|
                | drain floor (8 threads)      | %6.0f | 1.00           | %.3f              |
                | pipeline, no-op provider     | %6.0f | %.2f           | %.3f              |
                | pipeline, HTTP fake @ 100 ms | %6.0f | %.2f           | %.3f              |
                idle: %.1f ReceiveMessage per queue per minute
                written to bench/results/pipeline.json
                """, messages, repeats,
                (double) r.get("floorMessagesPerSecond"), (double) r.get("floorRequestsPerMessage"),
                (double) r.get("noopMessagesPerSecond"), (double) r.get("noopRatioToFloor"), (double) r.get("noopRequestsPerMessage"),
                (double) r.get("http100MessagesPerSecond"), (double) r.get("http100RatioToFloor"), (double) r.get("http100RequestsPerMessage"),
                (double) r.get("idleReceivesPerQueuePerMinute"));
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                try {
                    return Integer.parseInt(args[i + 1]);
                } catch (NumberFormatException e) {
                    System.err.println("herald: " + name + " needs a whole number, got '" + args[i + 1] + "'");
                    System.exit(1);
                }
            }
        }
        return fallback;
    }
}
