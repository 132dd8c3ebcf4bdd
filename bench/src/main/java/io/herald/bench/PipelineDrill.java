package io.herald.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Drill 1: Herald's pipeline as deployed against the SQS drain floor and the peer a Java team would pick, all in
 * separate processes, measured in one run (see {@link PipelineBench}).
 */
public final class PipelineDrill implements Drill {

    private static final Set<String> OPTIONS = Set.of(
            "--messages",
            "--repeats",
            "--floor-threads",
            "--scale-out",
            "--steady-rate",
            "--steady-seconds",
            "--spring-concurrency",
            "--baseline-image",
            "--jfr",
            "--skip",
            "--store-jfr");

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public String description() {
        return "the packaged `herald pipeline` (own process, shipped defaults, status store on, real SES/SendGrid "
                + "clients against fakes at 0/100 ms, cold and warm) against the SQS floor (plain SDK client, best of "
                + "--floor-threads) and Spring Cloud AWS's listener, on a standalone ElasticMQ and DynamoDB Local "
                + "behind request-counting proxies; then --scale-out processes on one queue and a steady rate: msg/s, "
                + "msg per CPU-second, SQS and status requests per message; --messages 20000 --repeats 3 "
                + "--floor-threads 8,16,32,64 --scale-out 1,2,4 --steady-rate 50 --steady-seconds 60 "
                + "--spring-concurrency 100, ~20 min (needs ./herald build); the steady rate runs with the shipped "
                + "receiveLinger and with 0s (latency p50/p99 from enqueue to delivery, then idle SQS requests/s, the "
                + "pipeline's peak heap and RSS); [--baseline-image DIR] drains a second image's pipeline in turns "
                + "with "
                + "this one and reports the ratios; [--jfr DIR] records each pipeline drained with JFR (on the bench's "
                + "JDK); [--store-jfr FILE] records DynamoDB Local's JVM with JFR; [--skip "
                + "floor,spring,scale-out,steady] "
                + "leaves parts out";
    }

    @Override
    public List<String> argsForAll() {
        // `bench all` stays short: one repetition of a smaller queue; the full size is a run of its own.
        return List.of("--messages", "5000", "--repeats", "1", "--scale-out", "1,2", "--steady-seconds", "20");
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options = DrillOptions.parse(name(), context.args(), OPTIONS);
        PipelineBench.Settings settings = new PipelineBench.Settings(
                options.intOption("--messages", 20_000, 100),
                options.intOption("--repeats", 3, 1),
                options.intListOption("--floor-threads", List.of(8, 16, 32, 64), 1),
                options.intListOption("--scale-out", List.of(1, 2, 4), 1),
                options.intOption("--steady-rate", 50, 10),
                options.secondsOption("--steady-seconds", Duration.ofSeconds(60), 5),
                options.intOption("--spring-concurrency", 100, 1),
                baseline(options),
                jfrDir(options),
                skip(options));
        Map<String, Object> figures;
        String storeJfr = options.given().get("--store-jfr");
        try (ScratchDir scratch = new ScratchDir("herald-bench-pipeline")) {
            figures = new PipelineBench(
                            settings,
                            scratch.path(),
                            context.progress(),
                            storeJfr == null
                                    ? null
                                    : java.nio.file.Path.of(storeJfr).toAbsolutePath())
                    .run();
        }
        return new DrillResult(figures, table(settings, figures), charts(figures));
    }

    private static java.nio.file.Path baseline(DrillOptions options) {
        String dir = options.given().get("--baseline-image");
        if (dir == null) {
            return null;
        }
        java.nio.file.Path image = java.nio.file.Path.of(dir).toAbsolutePath();
        if (!java.nio.file.Files.isExecutable(image.resolve("bin/herald"))) {
            throw new BadDrillArgumentException("pipeline: --baseline-image " + image + " has no bin/herald (a "
                    + "directory like packaging/target/herald-VERSION, built by ./herald build)");
        }
        return image;
    }

    private static java.nio.file.Path jfrDir(DrillOptions options) throws java.io.IOException {
        String dir = options.given().get("--jfr");
        return dir == null
                ? null
                : java.nio.file.Files.createDirectories(
                        java.nio.file.Path.of(dir).toAbsolutePath());
    }

    private static Set<String> skip(DrillOptions options) {
        String raw = options.given().get("--skip");
        if (raw == null) {
            return Set.of();
        }
        Set<String> parts = new java.util.TreeSet<>();
        for (String part : raw.split(",", -1)) {
            if (!PipelineBench.SKIPPABLE.contains(part.strip())) {
                throw new BadDrillArgumentException("pipeline: --skip takes some of "
                        + String.join(",", new java.util.TreeSet<>(PipelineBench.SKIPPABLE)) + ", got '" + raw + "'");
            }
            parts.add(part.strip());
        }
        return Set.copyOf(parts);
    }

    @SuppressWarnings("unchecked")
    static String table(PipelineBench.Settings settings, Map<String, Object> r) {
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT,
                "Pipeline as deployed: %d messages per drain, "
                        + "%d repetitions interleaved (floor sweep, Herald cold+warm at 0 and 100 ms, "
                        + "Spring default and "
                        + "tuned), every process separate; load average at the end %s.%n",
                settings.messages(),
                settings.repeats(),
                r.get("loadAverageAtEnd")));
        t.append("| run | msg/s (median) | each repetition | ratio to floor | msg per CPU-s | SQS req/msg "
                + "| status req/msg | DynamoDB Local CPU ms/msg | duplicates | lost |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Map<String, Object>> medians = (Map<String, Map<String, Object>>) r.get("medians");
        medians.forEach((label, m) -> t.append(String.format(
                Locale.ROOT,
                "| %s | %.0f | %s | %.2f | %.0f | %.3f | %.3f | %.2f | %d | %d |%n",
                label,
                (double) m.get("messagesPerSecond"),
                each((List<Double>) m.get("messagesPerSecondEachRun")),
                label.startsWith(DrainFigures.FLOOR) ? 1.0 : (double) m.get("ratioToFloor"),
                (double) m.get("messagesPerCpuSecond"),
                (double) m.get("sqsRequestsPerMessage"),
                (double) m.get("statusRequestsPerMessage"),
                (double) m.get("storeCpuMillisPerMessage"),
                (int) m.get("duplicates"),
                (int) m.get("lost"))));
        t.append("\nRequests per message by action (medians):\n\n| run | SQS | status store |\n|---|---|---|\n");
        medians.forEach((label, m) -> t.append(String.format(
                Locale.ROOT,
                "| %s | %s | %s |%n",
                label,
                DrainFigures.byActionCell((Map<String, Double>) m.get("sqsRequestsPerMessageByAction")),
                DrainFigures.byActionCell((Map<String, Double>) m.get("statusRequestsPerMessageByAction")))));
        t.append("\nEvery run (floor: the consumer's CPU is the bench JVM's):\n\n"
                + "| repeat | run | seconds | msg/s | CPU-s | msg per CPU-s | SQS req/msg | status req/msg |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> run : (List<Map<String, Object>>) r.get("runs")) {
            t.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %.2f | %.0f | %.2f | %.0f | %.3f | %.3f |%n",
                    (int) run.get("repeat"),
                    run.get("label"),
                    (double) run.get("seconds"),
                    (double) run.get("messagesPerSecond"),
                    (double) run.get("cpuSeconds"),
                    (double) run.get("messagesPerCpuSecond"),
                    (double) run.get("sqsRequestsPerMessage"),
                    (double) run.get("statusRequestsPerMessage")));
        }
        t.append("\nScale-out (providers at 0 ms, one queue, shared health on as shipped; CPU summed "
                + "over processes):\n\n"
                + "| processes | msg/s | msg per CPU-s | SQS req/msg | status req/msg | duplicates | lost |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> run : (List<Map<String, Object>>) r.get("scaleOut")) {
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %.0f | %.0f | %.3f | %.3f | %d | %d |%n",
                    run.get("label"),
                    (double) run.get("messagesPerSecond"),
                    (double) run.get("messagesPerCpuSecond"),
                    (double) run.get("sqsRequestsPerMessage"),
                    (double) run.get("statusRequestsPerMessage"),
                    (int) run.get("duplicates"),
                    (int) run.get("lost")));
        }
        if (r.containsKey("againstBaseline")) {
            t.append("\nThe image under test against --baseline-image ")
                    .append(r.get("baselineImage"))
                    .append(" (the two taking turns in each repetition; medians of per-repetition ratios, "
                            + "under test / baseline):\n\n| run | pairs | msg/s ratio | each | msg per CPU-s ratio | "
                            + "each |\n"
                            + "|---|---|---|---|---|---|\n");
            ((Map<String, Map<String, Object>>) r.get("againstBaseline"))
                    .forEach((kind, m) -> t.append(String.format(
                            Locale.ROOT,
                            "| %s | %d | %.2f | %s | %.2f | %s |%n",
                            kind,
                            (int) m.get("pairs"),
                            (double) m.get("messagesPerSecondRatio"),
                            ratios((List<Double>) m.get("messagesPerSecondRatioEachPair")),
                            (double) m.get("messagesPerCpuSecondRatio"),
                            ratios((List<Double>) m.get("messagesPerCpuSecondRatioEachPair")))));
        }
        Map<String, Object> s = (Map<String, Object>) r.get("steady");
        if (s.containsKey("skipped")) {
            return t.append("\nSteady run: skipped (--skip).\n").toString();
        }
        if (s.containsKey("error")) {
            return t.append("\nSteady run: did not finish (")
                    .append(s.get("error"))
                    .append(").\n")
                    .toString();
        }
        t.append(String.format(
                Locale.ROOT,
                "%nSteady %d msg/s for %d s (%d messages): %.3f SQS requests per message "
                        + "(%s), %.3f status requests per message, pipeline CPU %.1f s over %.0f s.%n",
                (int) s.get("ratePerSecond"),
                settings.steadySeconds().toSeconds(),
                (int) s.get("messages"),
                (double) s.get("sqsRequestsPerMessage"),
                DrainFigures.byActionCell((Map<String, Double>) s.get("sqsRequestsPerMessageByAction")),
                (double) s.get("statusRequestsPerMessage"),
                (double) s.get("pipelineCpuSeconds"),
                (double) s.get("seconds")));
        return t.append(lingerTable((List<Map<String, Object>>) r.get("steadyByReceiveLinger")))
                .toString();
    }

    /**
     * The steady rate with the shipped {@code pipeline.receiveLinger} and with none, side by side: latency from
     * SendMessageBatch to delivery, requests per message, an idle pipeline's SQS requests, the pipeline's peak memory.
     */
    static String lingerTable(List<Map<String, Object>> runs) {
        if (runs == null || runs.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder("\nSteady rate by receiveLinger (each a fresh pipeline; latency from the "
                + "producer's SendMessageBatch call to the fake's answer; idle: as long again with no "
                + "messages; "
                + "memory sampled each second):\n\n| receiveLinger | latency p50 ms | p99 ms | SQS req/msg "
                + "| idle SQS req/s | pipeline heap peak MiB | pipeline RSS peak MiB "
                + "|\n|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> run : runs) {
            if (run.containsKey("error")) {
                t.append("| ")
                        .append(run.get("receiveLinger"))
                        .append(" | did not finish: ")
                        .append(run.get("error"))
                        .append(" | | | | | |\n");
                continue;
            }
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %.0f | %.0f | %.3f | %.2f | %.0f | %.0f |%n",
                    run.get("receiveLinger"),
                    (double) run.get("latencyP50Millis"),
                    (double) run.get("latencyP99Millis"),
                    (double) run.get("sqsRequestsPerMessage"),
                    (double) run.get("idleSqsRequestsPerSecond"),
                    (double) run.get("pipelineHeapPeakMiB"),
                    (double) run.get("pipelineRssPeakMiB")));
        }
        return t.toString();
    }

    private static String ratios(List<Double> values) {
        return String.join(
                " / ",
                values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }

    private static String each(List<Double> values) {
        return String.join(
                " / ",
                values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }

    @SuppressWarnings("unchecked")
    private static List<Chart> charts(Map<String, Object> r) {
        Map<String, List<Point>> byLabel = new java.util.LinkedHashMap<>();
        List<Map<String, Object>> runs = (List<Map<String, Object>>) r.get("runs");
        for (Map<String, Object> run : runs) {
            byLabel.computeIfAbsent((String) run.get("label"), k -> new ArrayList<>())
                    .add(new Point((int) run.get("repeat"), (double) run.get("messagesPerSecond")));
        }
        List<Series> series = byLabel.entrySet().stream()
                .map(e -> new Series(e.getKey(), e.getValue()))
                .toList();
        List<Point> scale = new ArrayList<>();
        for (Map<String, Object> run : (List<Map<String, Object>>) r.get("scaleOut")) {
            String label = (String) run.get("label");
            scale.add(
                    new Point(Double.parseDouble(label.replaceAll("\\D+", "")), (double) run.get("messagesPerSecond")));
        }
        Chart throughput = new Chart(
                "throughput", "Drain throughput, every repetition", "repetition", "messages per second", series);
        if (scale.isEmpty()) {
            return List.of(throughput);
        }
        return List.of(
                throughput,
                new Chart(
                        "scale-out",
                        "Pipeline processes on one queue",
                        "processes",
                        "messages per second",
                        List.of(new Series("herald pipeline, providers at 0 ms", scale))));
    }
}
