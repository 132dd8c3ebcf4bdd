package io.herald.bench;

import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.StatusTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Drill 4: the API as shipped. The packaged {@code bin/herald api --config FILE} (the image {@code ./herald build}
 * makes) runs as its own process with the shipped defaults and its status store on, against ElasticMQ and DynamoDB
 * Local each in a JVM of its own ({@link StoreServer}), the way {@code ./herald local} runs those engines. wrk, in a
 * process of its own, POSTs gomail's {@code /email/send} over 16 and 64 keep-alive connections.
 *
 * <p>Every repetition starts a fresh API per connection count: its first run is the cold one (the JIT still compiling),
 * then a warm-up at 64 connections, then the warm run. Each run records wrk's figures, the CPU of the API, of each
 * engine and of wrk itself (so a reader sees whether the load generator was the limit), the machine's load average, and
 * SendMessageBatch calls per request from the API's /metrics. Every repetition is reported, and the medians. At the end
 * every accepted request must have its message on the queues. With {@code --baseline-image DIR} a second image (e.g.
 * the previous commit's) takes turns with this one, run for run, for a before/after ratio.
 */
public final class ApiDrill implements Drill {

    static final List<Integer> CONCURRENCIES = List.of(16, 64);
    static final String ENDPOINT = "/email/send";
    static final String BODY = "{\"email\":{\"fromEmail\":\"from@example.com\",\"fromName\":\"Bench\","
            + "\"toEmail\":\"to@example.com\",\"subject\":\"Load\",\"body\":\"Sent by ./herald bench api\"}}";

    /**
     * gomail's API measured from outside on this machine against ElasticMQ (issue 13): req/s and p99 at 16 and 64
     * connections. The goal is twice its req/s with a lower p99, as shipped.
     */
    static final Map<Integer, double[]> GOMAIL = Map.of(16, new double[] {2_083, 20}, 64, new double[] {1_902, 90});

    static final List<String> PHASES = List.of("cold", "warm");

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String description() {
        return "the packaged `bin/herald api` as its own process (status store on; ElasticMQ and DynamoDB Local in "
                + "their own JVMs): /email/send req/s, p50/p99 at 16/64 connections, cold and warm, CPU of each "
                + "process and of wrk; --seconds 5 --repeats 3 --warmup 5 [--image DIR] [--baseline-image DIR] "
                + "[--jfr DIR], ~2.5 min";
    }

    /** One measured wrk run against one API process. */
    record Cell(
            String build,
            String phase,
            int connections,
            int repeat,
            Wrk.Run run,
            double apiCores,
            double sqsCores,
            double dynamoCores,
            double batchCallsPerRequest,
            double statusWritesPerRequest,
            double loadAverage,
            double startupMillis) {

        /** CPU milliseconds per request that {@code cores} stands for over this run. */
        double millisPerRequest(double cores) {
            return run.requests() == 0 ? 0 : cores * run.seconds() * 1000 / run.requests();
        }

        /** API, ElasticMQ and DynamoDB Local together: what one request cost the machine, wrk aside. */
        double serverMillisPerRequest() {
            return millisPerRequest(apiCores + sqsCores + dynamoCores);
        }
    }

    private record Key(String build, String phase, int connections) {}

    /** One image under test: where it is, its configuration, its queues. */
    private record Build(String name, Path image, Path config, int port, List<QueueRef> queues) {}

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        try (ScratchDir scratch = new ScratchDir("herald-bench-api")) {
            return run(context, scratch.path());
        }
    }

    private DrillResult run(DrillContext context, Path scratch) throws Exception {
        DrillOptions options = DrillOptions.parse(
                name(),
                context.args(),
                Set.of("--seconds", "--repeats", "--warmup", "--image", "--baseline-image", "--jfr"));
        Duration seconds = options.secondsOption("--seconds", Duration.ofSeconds(5), 1);
        Duration warmup = options.secondsOption("--warmup", Duration.ofSeconds(5), 1);
        int repeats = options.intOption("--repeats", 3, 1);
        Map<String, String> given = options.given();
        Path image = given.containsKey("--image")
                ? Path.of(given.get("--image")).toAbsolutePath()
                : ShippedApiProcess.findImage(Path.of("").toAbsolutePath());
        ShippedApiProcess.checkImage(image, "--image");
        Map<String, Path> images = new LinkedHashMap<>();
        images.put("current", image);
        if (given.containsKey("--baseline-image")) {
            Path baseline = Path.of(given.get("--baseline-image")).toAbsolutePath();
            ShippedApiProcess.checkImage(baseline, "--baseline-image");
            images.put("baseline", baseline);
        }
        Path jfrDir = given.containsKey("--jfr")
                ? Files.createDirectories(Path.of(given.get("--jfr")).toAbsolutePath())
                : null;
        PrintStream progress = context.progress();
        Wrk wrk = Wrk.ensureInstalled(scratch, progress);

        progress.println("api: starting ElasticMQ and DynamoDB Local, each in a JVM of its own");
        List<Cell> cells = new ArrayList<>();
        long accepted = 0;
        Map<String, Object> queueCheck = new LinkedHashMap<>();
        List<String> violations = new ArrayList<>();
        // Each engine in a JVM of its own with the JVM's defaults; the API goes to them directly, not through
        // their counting proxies.
        try (StoreServer sqsEngine = StoreServer.start("sqs", List.of());
                StoreServer dynamoEngine = StoreServer.start("dynamodb", List.of());
                HttpClient http = HttpClient.newHttpClient()) {
            String sqsEndpoint = sqsEngine.direct().toString();
            String dynamoEndpoint = dynamoEngine.direct().toString();
            HeraldConfig defaults = HeraldConfig.defaults();
            HeraldConfig.Sqs d = defaults.sqs();
            HeraldConfig.Status status = new HeraldConfig.Status(
                    dynamoEndpoint,
                    defaults.status().region(),
                    defaults.status().table(),
                    defaults.status().ttl());
            List<Build> builds = new ArrayList<>();
            try (SqsClient sqs = SqsClients.create(sqsConfig(sqsEndpoint, d, d.queues()));
                    DynamoDbClient dynamo = DynamoDbClients.create(status)) {
                StatusTable.createIfMissing(dynamo, status.table());
                for (var e : images.entrySet()) {
                    List<String> names = List.of("bench-api-" + e.getKey() + "-1", "bench-api-" + e.getKey() + "-2");
                    HeraldConfig.Sqs config = sqsConfig(sqsEndpoint, d, names);
                    List<QueueRef> queues = SqsQueues.provision(sqs, config);
                    int port = ShippedApiProcess.freePort();
                    Path file = scratch.resolve("herald-" + e.getKey() + ".yaml");
                    Files.writeString(file, config(sqsEndpoint, names, dynamoEndpoint, port));
                    builds.add(new Build(e.getKey(), e.getValue(), file, port, queues));
                }
                ProcessHandle sqsProcess = ProcessHandle.of(sqsEngine.pid()).orElseThrow();
                ProcessHandle dynamoProcess =
                        ProcessHandle.of(dynamoEngine.pid()).orElseThrow();
                for (int repeat = 1; repeat <= repeats; repeat++) {
                    for (int connections : CONCURRENCIES) {
                        // The builds take turns going first, so neither always runs right after the other's load.
                        List<Build> order = new ArrayList<>(builds);
                        if (repeat % 2 == 0) {
                            Collections.reverse(order);
                        }
                        for (Build build : order) {
                            progress.printf(
                                    Locale.ROOT,
                                    "api: repeat %d/%d, %s image, %d connections: cold, " + "warm-up, warm%n",
                                    repeat,
                                    repeats,
                                    build.name(),
                                    connections);
                            Path jfr = jfrDir == null
                                    ? null
                                    : jfrDir.resolve(String.format(
                                            Locale.ROOT, "api-%s-r%d-c%d.jfr", build.name(), repeat, connections));
                            try (ShippedApiProcess api = ShippedApiProcess.start(
                                    build.image(),
                                    build.config(),
                                    build.port(),
                                    scratch.resolve("api-" + build.name() + ".log"),
                                    jfr,
                                    Duration.ofSeconds(90))) {
                                Measure measure = new Measure(wrk, http, api, sqsProcess, dynamoProcess, seconds);
                                Cell cold = measure.run(build.name(), "cold", connections, repeat);
                                Wrk.Run warming = wrk.post(api.url() + ENDPOINT, BODY, 64, warmup);
                                Cell warm = measure.run(build.name(), "warm", connections, repeat);
                                cells.add(cold);
                                cells.add(warm);
                                accepted += answered2xx(cold.run()) + answered2xx(warming) + answered2xx(warm.run());
                            }
                        }
                    }
                }
                long onQueues = 0;
                for (Build build : builds) {
                    for (QueueRef queue : build.queues()) {
                        onQueues += LocalSqs.messagesOn(sqs, queue.url());
                    }
                }
                queueCheck.put("acceptedRequests", accepted);
                queueCheck.put("messagesOnQueues", onQueues);
                if (onQueues < accepted) {
                    violations.add(String.format(
                            Locale.ROOT,
                            "%d requests were answered 2xx but only %d messages " + "are on the queues",
                            accepted,
                            onQueues));
                }
            }
        }
        return result(cells, images, repeats, seconds, warmup, queueCheck, violations);
    }

    /** wrk counts answers; those that were not 2xx (non2xx) were not accepted. */
    private static long answered2xx(Wrk.Run run) {
        return run.requests() - run.non2xx();
    }

    /** One run with everything around it measured: CPU of each process before and after, batch calls. */
    private record Measure(
            Wrk wrk,
            HttpClient http,
            ShippedApiProcess api,
            ProcessHandle sqs,
            ProcessHandle dynamo,
            Duration seconds) {

        Cell run(String build, String phase, int connections, int repeat) throws IOException, InterruptedException {
            double load = loadAverage();
            double[] before = batchCounts(http, api.url());
            double apiBefore = api.cpuSeconds();
            double sqsBefore = ShippedApiProcess.cpuSeconds(sqs);
            double dynamoBefore = ShippedApiProcess.cpuSeconds(dynamo);
            Wrk.Run run = wrk.post(api.url() + ENDPOINT, BODY, connections, seconds);
            double apiCpu = api.cpuSeconds() - apiBefore;
            double sqsCpu = ShippedApiProcess.cpuSeconds(sqs) - sqsBefore;
            double dynamoCpu = ShippedApiProcess.cpuSeconds(dynamo) - dynamoBefore;
            double[] after = batchCounts(http, api.url());
            return new Cell(
                    build,
                    phase,
                    connections,
                    repeat,
                    run,
                    apiCpu / run.seconds(),
                    sqsCpu / run.seconds(),
                    dynamoCpu / run.seconds(),
                    run.requests() == 0 ? 0 : (after[0] - before[0]) / run.requests(),
                    run.requests() == 0 ? 0 : (after[1] - before[1]) / run.requests(),
                    load,
                    api.startup().toNanos() / 1e6);
        }
    }

    static HeraldConfig.Sqs sqsConfig(String endpoint, HeraldConfig.Sqs d, List<String> queues) {
        return new HeraldConfig.Sqs(
                endpoint,
                d.region(),
                queues,
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                d.visibilityTimeout(),
                d.maxConnections());
    }

    /** The configuration file the API runs with: endpoints, queues, port, open; every other setting shipped. */
    static String config(String sqsEndpoint, List<String> queues, String dynamoEndpoint, int port) {
        return "# written by ./herald bench api: only the endpoints, queues and port differ from the shipped defaults\n"
                + "sqs:\n  endpoint: " + sqsEndpoint + "\n  queues: [" + String.join(", ", queues) + "]\n"
                + "status:\n  endpoint: " + dynamoEndpoint + "\n"
                + "api:\n  host: 127.0.0.1\n  port: " + port + "\n  open: true\n";
    }

    private DrillResult result(
            List<Cell> cells,
            Map<String, Path> images,
            int repeats,
            Duration seconds,
            Duration warmup,
            Map<String, Object> queueCheck,
            List<String> violations) {
        Map<Key, List<Cell>> grouped = cells.stream()
                .collect(Collectors.groupingBy(
                        c -> new Key(c.build(), c.phase(), c.connections()), LinkedHashMap::new, Collectors.toList()));
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT,
                "`bin/herald api` as shipped (own process, status store on; ElasticMQ and DynamoDB Local in their own "
                        + "JVMs; wrk), POST %s: median of %d runs of %d s (per run in brackets); CPU in cores%n"
                        + "| image | run | conn. | req/s | p50 ms | p99 ms | req/s per run | p99 per run | API CPU "
                        + "| ElasticMQ CPU | DynamoDB CPU | wrk CPU | CPU ms/req API + MQ + DDB | SendMessageBatch/req "
                        + "| status writes/req | load avg |%n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n",
                ENDPOINT,
                repeats,
                seconds.toSeconds()));
        Map<String, List<Point>> throughput = new LinkedHashMap<>();
        Map<String, List<Point>> p99 = new LinkedHashMap<>();
        List<Key> keys = new ArrayList<>(grouped.keySet());
        keys.sort(java.util.Comparator.comparing(Key::build)
                .thenComparing(Key::phase)
                .thenComparing(Key::connections));
        for (Key k : keys) {
            List<Cell> runs = grouped.get(k);
            double rps = median(runs, c -> c.run().requestsPerSecond());
            double p50 = median(runs, c -> c.run().p50Millis());
            double p99ms = median(runs, c -> c.run().p99Millis());
            double apiCores = median(runs, Cell::apiCores);
            double wrkCores = median(runs, c -> c.run().cpuCores());
            double apiMillisPerRequest = median(runs, c -> c.millisPerRequest(c.apiCores()));
            double sqsMillisPerRequest = median(runs, c -> c.millisPerRequest(c.sqsCores()));
            double dynamoMillisPerRequest = median(runs, c -> c.millisPerRequest(c.dynamoCores()));
            long errors = runs.stream()
                    .mapToLong(c -> c.run().non2xx() + c.run().socketErrors())
                    .sum();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("image", k.build());
            row.put("run", k.phase());
            row.put("connections", k.connections());
            row.put("requestsPerSecond", rps);
            row.put("p50Millis", p50);
            row.put("p99Millis", p99ms);
            row.put(
                    "perRepeatRequestsPerSecond",
                    runs.stream().map(c -> c.run().requestsPerSecond()).toList());
            row.put(
                    "perRepeatP50Millis",
                    runs.stream().map(c -> c.run().p50Millis()).toList());
            row.put(
                    "perRepeatP99Millis",
                    runs.stream().map(c -> c.run().p99Millis()).toList());
            row.put("apiCpuCores", apiCores);
            row.put("elasticMqCpuCores", median(runs, Cell::sqsCores));
            row.put("dynamoDbLocalCpuCores", median(runs, Cell::dynamoCores));
            row.put("wrkCpuCores", wrkCores);
            row.put(
                    "perRepeatWrkCpuCores",
                    runs.stream().map(c -> c.run().cpuCores()).toList());
            row.put("apiCpuMillisPerRequest", apiMillisPerRequest);
            row.put("elasticMqCpuMillisPerRequest", sqsMillisPerRequest);
            row.put("dynamoDbLocalCpuMillisPerRequest", dynamoMillisPerRequest);
            row.put("serverCpuMillisPerRequest", median(runs, Cell::serverMillisPerRequest));
            row.put("sendMessageBatchPerRequest", median(runs, Cell::batchCallsPerRequest));
            double statusWrites = median(runs, Cell::statusWritesPerRequest);
            row.put("statusWritesPerRequest", Double.isNaN(statusWrites) ? null : statusWrites);
            row.put("loadAverage", runs.stream().map(Cell::loadAverage).toList());
            row.put("apiStartupMillis", runs.stream().map(Cell::startupMillis).toList());
            row.put("errors", errors);
            if (images.size() > 1 && k.build().equals("current")) {
                row.put(
                        "currentToBaselineRatio",
                        PipelineBench.median(buildRatios(cells, k, c -> c.run().requestsPerSecond())));
                row.put(
                        "currentToBaselineServerCpuPerRequest",
                        PipelineBench.median(buildRatios(cells, k, Cell::serverMillisPerRequest)));
            }
            rows.add(row);
            if (errors > 0) {
                violations.add(String.format(
                        Locale.ROOT,
                        "%d valid requests (%s image, %s, %d connections) were not " + "answered 2xx",
                        errors,
                        k.build(),
                        k.phase(),
                        k.connections()));
            }
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %.0f | %.1f | %.1f | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f + %.2f + %.2f "
                            + "| %.2f | %s | %s |%n",
                    k.build(),
                    k.phase(),
                    k.connections(),
                    rps,
                    p50,
                    p99ms,
                    joined(runs, c -> c.run().requestsPerSecond(), "%.0f"),
                    joined(runs, c -> c.run().p99Millis(), "%.0f"),
                    apiCores,
                    median(runs, Cell::sqsCores),
                    median(runs, Cell::dynamoCores),
                    wrkCores,
                    apiMillisPerRequest,
                    sqsMillisPerRequest,
                    dynamoMillisPerRequest,
                    median(runs, Cell::batchCallsPerRequest),
                    Double.isNaN(statusWrites) ? "n/a" : String.format(Locale.ROOT, "%.2f", statusWrites),
                    joined(runs, Cell::loadAverage, "%.1f")));
            String series = k.build() + ", " + k.phase();
            throughput.computeIfAbsent(series, s -> new ArrayList<>()).add(new Point(k.connections(), rps));
            p99.computeIfAbsent(series, s -> new ArrayList<>()).add(new Point(k.connections(), p99ms));
        }
        if (images.size() > 1) {
            table.append("current / baseline, medians of per-run ratios (the two taking turns), req/s and server CPU "
                    + "per request: ");
            List<String> ratios = new ArrayList<>();
            for (Key k : keys) {
                if (k.build().equals("current")) {
                    ratios.add(String.format(
                            Locale.ROOT,
                            "%s %d: %.2f and %.2f",
                            k.phase(),
                            k.connections(),
                            PipelineBench.median(
                                    buildRatios(cells, k, c -> c.run().requestsPerSecond())),
                            PipelineBench.median(buildRatios(cells, k, Cell::serverMillisPerRequest))));
                }
            }
            table.append(String.join("; ", ratios)).append('\n');
        }
        Map<String, Object> goal = goal(rows);
        table.append("Goal (issue 13): >= 2x gomail's req/s with a lower p99 (gomail: 16 connections 2,083 req/s, "
                        + "p99 20 ms; 64: 1,902, p99 90 ms): ")
                .append(goal.get("summary"))
                .append('\n');
        table.append(String.format(
                Locale.ROOT,
                "Accepted %s requests, %s messages on the queues.%n",
                queueCheck.get("acceptedRequests"),
                queueCheck.get("messagesOnQueues")));

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("repeats", repeats);
        figures.put("secondsPerRun", seconds.toSeconds());
        figures.put("warmupSeconds", warmup.toSeconds());
        figures.put("endpoint", ENDPOINT);
        Map<String, String> imageNames = new LinkedHashMap<>();
        images.forEach((k, v) -> imageNames.put(k, v.toString()));
        figures.put("images", imageNames);
        figures.put(
                "setup",
                "bin/herald api --config FILE (shipped defaults, status store on, api.open) in its own "
                        + "process; ElasticMQ and DynamoDB Local (in memory) each in their own JVM; wrk " + Wrk.BINARY
                        + " in its own process; each repetition starts a fresh API per connection count: cold run, "
                        + "warm-up at 64 connections, warm run");
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("rows", rows);
        figures.put("queues", queueCheck);
        figures.put("goal", goal);
        figures.put("perRun", cells.stream().map(ApiDrill::perRun).toList());
        figures.put(DrillResult.VIOLATIONS, violations);
        List<Chart> charts = List.of(
                new Chart(
                        "throughput",
                        "bin/herald api requests/s by connections (median)",
                        "connections",
                        "requests/s",
                        series(throughput)),
                new Chart(
                        "p99",
                        "bin/herald api p99 latency by connections (median)",
                        "connections",
                        "p99 ms",
                        series(p99)));
        return new DrillResult(figures, table.toString(), charts);
    }

    private static Map<String, Object> perRun(Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", c.build());
        m.put("run", c.phase());
        m.put("connections", c.connections());
        m.put("repeat", c.repeat());
        m.put("requests", c.run().requests());
        m.put("requestsPerSecond", c.run().requestsPerSecond());
        m.put("p50Millis", c.run().p50Millis());
        m.put("p99Millis", c.run().p99Millis());
        m.put("apiCpuCores", c.apiCores());
        m.put("elasticMqCpuCores", c.sqsCores());
        m.put("dynamoDbLocalCpuCores", c.dynamoCores());
        m.put("wrkCpuCores", c.run().cpuCores());
        m.put("serverCpuMillisPerRequest", c.serverMillisPerRequest());
        m.put("sendMessageBatchPerRequest", c.batchCallsPerRequest());
        m.put("statusWritesPerRequest", Double.isNaN(c.statusWritesPerRequest()) ? null : c.statusWritesPerRequest());
        m.put("loadAverage", c.loadAverage());
        return m;
    }

    /** Met for a connection count when both the cold and the warm median reach it. */
    static Map<String, Object> goal(List<Map<String, Object>> rows) {
        Map<String, Object> goal = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (!row.get("image").equals("current")) {
                continue;
            }
            int connections = (int) row.get("connections");
            double[] gomail = GOMAIL.get(connections);
            double rps = (double) row.get("requestsPerSecond");
            double p99 = (double) row.get("p99Millis");
            boolean met = rps >= 2 * gomail[0] && p99 < gomail[1];
            String cell = row.get("run") + " " + connections;
            goal.put(
                    cell,
                    Map.of("requestsPerSecond", rps, "p99Millis", p99, "ratioToGomail", rps / gomail[0], "met", met));
            parts.add(String.format(
                    Locale.ROOT,
                    "%s: %.2fx gomail, p99 %.0f ms: %s",
                    cell,
                    rps / gomail[0],
                    p99,
                    met ? "met" : "not met"));
        }
        goal.put("summary", String.join("; ", parts));
        return goal;
    }

    /** The current image against the baseline, per repeat, for the same run and connections. */
    private static List<Double> buildRatios(List<Cell> cells, Key key, ToDoubleFunction<Cell> value) {
        List<Double> out = new ArrayList<>();
        for (Cell a : cells) {
            if (!a.build().equals("current")
                    || !a.phase().equals(key.phase())
                    || a.connections() != key.connections()) {
                continue;
            }
            for (Cell b : cells) {
                if (b.build().equals("baseline")
                        && b.phase().equals(a.phase())
                        && b.connections() == a.connections()
                        && b.repeat() == a.repeat()
                        && value.applyAsDouble(b) > 0) {
                    out.add(value.applyAsDouble(a) / value.applyAsDouble(b));
                }
            }
        }
        return out;
    }

    private static double median(List<Cell> runs, ToDoubleFunction<Cell> value) {
        return PipelineBench.median(
                runs.stream().map(c -> value.applyAsDouble(c)).toList());
    }

    private static String joined(List<Cell> runs, ToDoubleFunction<Cell> value, String format) {
        return runs.stream()
                .map(c -> String.format(Locale.ROOT, format, value.applyAsDouble(c)))
                .collect(Collectors.joining(", "));
    }

    private static List<Series> series(Map<String, List<Point>> points) {
        return points.entrySet().stream()
                .map(e -> new Series(e.getKey(), e.getValue()))
                .toList();
    }

    /** The one-minute load average, from /proc/loadavg; NaN where there is none. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** SendMessageBatch calls and status writes so far, from the API's Prometheus summaries (open mode: no key). */
    private static double[] batchCounts(HttpClient http, URI api) throws IOException, InterruptedException {
        String metrics = http.send(
                        HttpRequest.newBuilder(api.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        // An image from before the status summary existed has no such line: NaN, reported as "n/a".
        double[] out = {0, Double.NaN};
        for (String line : metrics.split("\n")) {
            if (line.startsWith("herald_api_sqs_batch_entries_count ")) {
                out[0] =
                        Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip());
            } else if (line.startsWith("herald_api_status_batch_entries_count ")) {
                out[1] =
                        Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip());
            }
        }
        return out;
    }
}
