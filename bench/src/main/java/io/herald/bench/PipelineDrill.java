package io.herald.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Drill 1: the pipeline against the SQS drain floor measured in the same run (see
 * {@link PipelineBench}): throughput at provider latency 0, 100 and 500 ms, SQS requests per
 * message by action, peak heap, enqueue-to-delivery latency at a steady load, idle receives.
 */
public final class PipelineDrill implements Drill {

    /** The runs in the order shown, with the figure-name prefix PipelineBench uses for each. */
    private static final List<String[]> RUNS = List.of(
            new String[]{"floor", "drain floor (8 threads)", "0"},
            new String[]{"noop", "pipeline, no-op provider", "0"},
            new String[]{"http100", "pipeline, HTTP fake @ 100 ms", "100"},
            new String[]{"http500", "pipeline, HTTP fake @ 500 ms", "500"});
    private static final List<String> ACTIONS = List.of("ReceiveMessage", "DeleteMessageBatch",
            "ChangeMessageVisibilityBatch", "GetQueueAttributes");

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public String description() {
        return "pipeline vs the SQS drain floor at provider latency 0/100/500 ms: msg/s, SQS requests per message by "
                + "action, peak heap, p50/p99 enqueue-to-delivery, idle receives; --messages 4000 --repeats 3 "
                + "--latency-rate 200 --latency-seconds 6 --idle-seconds 30, ~3 min";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options = DrillOptions.parse(name(), context.args(), Set.of("--messages", "--repeats",
                "--idle-seconds", "--latency-rate", "--latency-seconds"));
        int messages = options.intOption("--messages", 4_000, 100);
        int repeats = options.intOption("--repeats", 3, 1);
        Duration idle = options.secondsOption("--idle-seconds", Duration.ofSeconds(30), 1);
        int latencyRate = options.intOption("--latency-rate", 200, 10);
        Duration latencyWindow = options.secondsOption("--latency-seconds", Duration.ofSeconds(6), 1);
        Map<String, Object> r = new PipelineBench(messages, repeats, idle, latencyRate, latencyWindow, context.progress()).run();

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> byAction = (Map<String, Map<String, Double>>) r.get("requestsPerMessageByAction");
        @SuppressWarnings("unchecked")
        Map<String, Double> heap = (Map<String, Double>) r.get("peakHeapMiB");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> latency = (Map<String, Map<String, Object>>) r.get("latency");

        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Pipeline: %d messages per run, median of %d runs, one ElasticMQ on loopback; SQS requests per delivered message "
                        + "by action; peak heap of the whole bench JVM (ElasticMQ included)%n", messages, repeats));
        table.append("| run | msg/s | ratio to floor | SQS req/msg | Receive | DeleteBatch | ChangeVisibilityBatch | GetQueueAttributes | peak heap MiB |\n");
        table.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String[] run : RUNS) {
            String key = run[0];
            double ratio = key.equals("floor") ? 1.0 : (double) r.get(key + "RatioToFloor");
            table.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.3f |", run[1],
                    (double) r.get(key + "MessagesPerSecond"), ratio, (double) r.get(key + "RequestsPerMessage")));
            for (String action : ACTIONS) {
                table.append(String.format(Locale.ROOT, " %.3f |", byAction.get(key).getOrDefault(action, 0.0)));
            }
            table.append(String.format(Locale.ROOT, " %.0f |%n", heap.get(key)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Double> producer = (Map<String, Double>) r.get("producerRequestsPerMessageByAction");
        double sendBatch = producer.getOrDefault("SendMessageBatch", 0.0);
        table.append(String.format(Locale.ROOT, "Producer side (not in the table): %.3f SendMessageBatch per message, so "
                        + "end to end the no-op pipeline costs %.3f SQS requests per message (floor %.3f).%n", sendBatch,
                sendBatch + (double) r.get("noopRequestsPerMessage"), sendBatch + (double) r.get("floorRequestsPerMessage")));
        table.append(String.format(Locale.ROOT, "%nEnqueue-to-delivery latency at a steady %d msg/s for %d s:%n",
                latencyRate, latencyWindow.toSeconds()));
        table.append("| provider latency | messages | p50 ms | p99 ms |\n|---|---|---|---|\n");
        for (String[] run : RUNS.subList(1, RUNS.size())) {
            Map<String, Object> l = latency.get(run[0]);
            table.append(String.format(Locale.ROOT, "| %s ms | %d | %.1f | %.1f |%n", run[2], (int) l.get("messages"),
                    (double) l.get("p50Millis"), (double) l.get("p99Millis")));
        }
        table.append(String.format(Locale.ROOT, "%nIdle: %.1f ReceiveMessage per queue per minute (from the spacing of the receives in %d s).%n",
                (double) r.get("idleReceivesPerQueuePerMinute"), idle.toSeconds()));

        List<Point> pipeline = new ArrayList<>();
        List<Point> floor = new ArrayList<>();
        List<Point> p50 = new ArrayList<>();
        List<Point> p99 = new ArrayList<>();
        for (String[] run : RUNS.subList(1, RUNS.size())) {
            double providerLatency = Double.parseDouble(run[2]);
            pipeline.add(new Point(providerLatency, (double) r.get(run[0] + "MessagesPerSecond")));
            floor.add(new Point(providerLatency, (double) r.get("floorMessagesPerSecond")));
            p50.add(new Point(providerLatency, (double) latency.get(run[0]).get("p50Millis")));
            p99.add(new Point(providerLatency, (double) latency.get(run[0]).get("p99Millis")));
        }
        Chart throughput = new Chart("throughput", "Pipeline throughput against the SQS drain floor (medians)",
                "provider latency (ms)", "messages per second", List.of(new Series("pipeline", pipeline),
                new Series("drain floor, same run", floor)));
        Chart latencyChart = new Chart("latency", "Enqueue-to-delivery latency at " + latencyRate + " msg/s",
                "provider latency (ms)", "milliseconds", List.of(new Series("p50", p50), new Series("p99", p99)));
        return new DrillResult(r, table.toString(), List.of(throughput, latencyChart));
    }
}
