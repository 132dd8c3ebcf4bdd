package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drill 4: the API's requests/s and p50/p99 latency at 1, 16 and 64 connections on loopback, for
 * {@code POST /email/send} and {@code POST /v1/notifications}, with ElasticMQ behind it, with and
 * without the DynamoDB Local status store, side by side. The API runs in a child JVM
 * ({@link ApiStackMain}), the load comes from wrk in a process of its own. SendMessageBatch calls
 * per request are read from the API's own /metrics before and after each run.
 *
 * <p>Runs are interleaved (each cell measures every variant back to back, then the next cell), and
 * each figure is the median over the repeats, because this machine's other work swings single runs
 * by a factor of two. With {@code --baseline-api JAR} a second child runs the same variants with
 * that build of the API (e.g. the previous commit's), interleaved too, for a before/after ratio.
 */
public final class ApiDrill implements Drill {

    static final List<Integer> CONCURRENCIES = List.of(1, 16, 64);
    static final Map<String, String> ENDPOINTS = new LinkedHashMap<>();

    static {
        ENDPOINTS.put("/email/send", "{\"email\":{\"fromEmail\":\"from@example.com\",\"fromName\":\"Bench\","
                + "\"toEmail\":\"to@example.com\",\"subject\":\"Load\",\"body\":\"Sent by ./herald bench api\"}}");
        ENDPOINTS.put("/v1/notifications", "{\"to\":\"mailto:to@example.com\",\"from\":\"from@example.com\","
                + "\"title\":\"Load\",\"text\":\"Sent by ./herald bench api\"}");
    }

    /** gomail's API against ElasticMQ on this kind of machine (DESIGN.md), and issue 6's goal: twice that, lower p99. */
    static final double GOMAIL_64_REQUESTS_PER_SECOND = 1_900;
    static final double GOMAIL_64_P99_MILLIS = 90;

    private static final List<String> VARIANTS = List.of("store", "nostore");

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String description() {
        return "API req/s and p50/p99 at 1/16/64 connections (wrk, API in its own JVM, ElasticMQ behind it), "
                + "/email/send and /v1/notifications, with and without the DynamoDB Local status store, "
                + "SendMessageBatch calls per request; --seconds 2 --repeats 2 [--baseline-api JAR] [--jfr DIR], ~1.5 min";
    }

    /** One measured wrk run against one API. */
    record Cell(String stack, String variant, String endpoint, int connections, int repeat, Wrk.Run run,
                double batchCallsPerRequest) {
    }

    /** A cell of the table: which API, which endpoint, how many connections. */
    private record Key(String stack, String variant, String endpoint, int connections) {
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        try (ScratchDir scratch = new ScratchDir("herald-bench-api")) {
            return run(context, scratch.path());
        }
    }

    private DrillResult run(DrillContext context, Path scratch) throws Exception {
        DrillOptions options = DrillOptions.parse(name(), context.args(), Set.of("--seconds", "--repeats", "--baseline-api", "--jfr"));
        Duration seconds = options.secondsOption("--seconds", Duration.ofSeconds(2), 1);
        int repeats = options.intOption("--repeats", 2, 1);
        String baselineJar = options.given().get("--baseline-api");
        String jfrDir = options.given().get("--jfr");
        if (baselineJar != null && !Files.isRegularFile(Path.of(baselineJar))) {
            throw new BadDrillArgumentException("api: --baseline-api " + baselineJar + " is not a file (a herald-api jar)");
        }
        PrintStream progress = context.progress();
        Wrk wrk = Wrk.ensureInstalled(scratch, progress);

        Map<String, String> classpaths = new LinkedHashMap<>();
        classpaths.put("current", System.getProperty("java.class.path"));
        if (baselineJar != null) {
            classpaths.put("baseline", withApiJar(System.getProperty("java.class.path"), Path.of(baselineJar).toAbsolutePath()));
        }
        Map<String, ApiStackMain.Stack> stacks = new LinkedHashMap<>();
        List<ChildJvm> children = new ArrayList<>();
        List<Cell> cells = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (var e : classpaths.entrySet()) {
                progress.println("api: starting the API (" + e.getKey() + ") with ElasticMQ and DynamoDB Local in a child JVM");
                List<String> jvm = jfrDir == null ? List.of() : List.of("-XX:StartFlightRecording=settings=profile,filename="
                        + Path.of(jfrDir).toAbsolutePath().resolve("api-" + e.getKey() + ".jfr"));
                ChildJvm child = ChildJvm.start(ApiStackMain.class, jvm, VARIANTS, Duration.ofSeconds(90), e.getValue());
                children.add(child);
                stacks.put(e.getKey(), new ObjectMapper().readValue(child.readyLine(), ApiStackMain.Stack.class));
            }
            progress.println("api: warming up every API at 64 connections");
            for (var stack : stacks.values()) {
                for (String variant : VARIANTS) {
                    for (var endpoint : ENDPOINTS.entrySet()) {
                        wrk.post(url(stack, variant, endpoint.getKey()), endpoint.getValue(), 64, Duration.ofSeconds(2));
                    }
                }
            }
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (var endpoint : ENDPOINTS.entrySet()) {
                    for (int connections : CONCURRENCIES) {
                        progress.printf(Locale.ROOT, "api: repeat %d/%d, %s at %d connection(s)%n", repeat, repeats,
                                endpoint.getKey(), connections);
                        // The builds take turns going first, so neither always runs right after the other's load.
                        List<Map.Entry<String, ApiStackMain.Stack>> order = new ArrayList<>(stacks.entrySet());
                        if (repeat % 2 == 0) {
                            java.util.Collections.reverse(order);
                        }
                        for (var stack : order) {
                            for (String variant : VARIANTS) {
                                int port = stack.getValue().variants().get(variant).port();
                                double[] before = batchCounts(http, port);
                                Wrk.Run run = wrk.post(url(stack.getValue(), variant, endpoint.getKey()), endpoint.getValue(),
                                        connections, seconds);
                                double[] after = batchCounts(http, port);
                                cells.add(new Cell(stack.getKey(), variant, endpoint.getKey(), connections, repeat, run,
                                        run.requests() == 0 ? 0 : (after[0] - before[0]) / run.requests()));
                            }
                        }
                    }
                }
            }
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
        return result(cells, stacks.keySet(), repeats, seconds);
    }

    private DrillResult result(List<Cell> cells, Set<String> stacks, int repeats, Duration seconds) {
        Map<Key, List<Cell>> grouped = cells.stream().collect(Collectors.groupingBy(
                c -> new Key(c.stack(), c.variant(), c.endpoint(), c.connections()), LinkedHashMap::new, Collectors.toList()));
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "API on loopback (wrk, API in its own JVM, ElasticMQ behind it): median of %d runs of %d s each%n"
                        + "| endpoint | status store | API build | connections | req/s | p50 ms | p99 ms | SendMessageBatch / request | store on/off req/s |%n"
                        + "|---|---|---|---|---|---|---|---|---|%n", repeats, seconds.toSeconds()));
        List<String> violations = new ArrayList<>();
        Map<String, List<Point>> throughput = new LinkedHashMap<>();
        Map<String, List<Point>> p99 = new LinkedHashMap<>();
        for (var e : grouped.entrySet()) {
            Key k = e.getKey();
            List<Cell> runs = e.getValue();
            double rps = PipelineBench.median(runs.stream().map(c -> c.run().requestsPerSecond()).toList());
            double p50 = PipelineBench.median(runs.stream().map(c -> c.run().p50Millis()).toList());
            double p99ms = PipelineBench.median(runs.stream().map(c -> c.run().p99Millis()).toList());
            double calls = PipelineBench.median(runs.stream().map(Cell::batchCallsPerRequest).toList());
            long errors = runs.stream().mapToLong(c -> c.run().non2xx() + c.run().socketErrors()).sum();
            // The store's cost, as the median of per-repeat ratios: each pair was measured back to back.
            double storeRatio = k.variant().equals("store") ? PipelineBench.median(ratios(cells, k.stack(), k.endpoint(),
                    k.connections(), "store", "nostore")) : Double.NaN;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("endpoint", k.endpoint());
            row.put("statusStore", k.variant().equals("store"));
            row.put("apiBuild", k.stack());
            row.put("connections", k.connections());
            row.put("requestsPerSecond", rps);
            row.put("p50Millis", p50);
            row.put("p99Millis", p99ms);
            row.put("sendMessageBatchPerRequest", calls);
            row.put("errors", errors);
            row.put("perRepeatRequestsPerSecond", runs.stream().map(c -> c.run().requestsPerSecond()).toList());
            row.put("perRepeatP99Millis", runs.stream().map(c -> c.run().p99Millis()).toList());
            if (!Double.isNaN(storeRatio)) {
                row.put("storeOnOffRatio", storeRatio);
            }
            if (stacks.contains("baseline") && k.stack().equals("current")) {
                row.put("currentToBaselineRatio", PipelineBench.median(buildRatios(cells, k)));
            }
            rows.add(row);
            if (errors > 0) {
                violations.add(String.format(Locale.ROOT, "%d valid requests to %s (%s, %s, %d connections) were not answered 2xx",
                        errors, k.endpoint(), k.variant(), k.stack(), k.connections()));
            }
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.0f | %.1f | %.1f | %.2f | %s |%n",
                    k.endpoint(), k.variant().equals("store") ? "DynamoDB Local" : "none", k.stack(), k.connections(),
                    rps, p50, p99ms, calls, Double.isNaN(storeRatio) ? "" : String.format(Locale.ROOT, "%.2f", storeRatio)));
            String series = k.endpoint() + ", " + (k.variant().equals("store") ? "status store" : "no store")
                    + (stacks.size() > 1 ? ", " + k.stack() : "");
            throughput.computeIfAbsent(series, s -> new ArrayList<>()).add(new Point(k.connections(), rps));
            p99.computeIfAbsent(series, s -> new ArrayList<>()).add(new Point(k.connections(), p99ms));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("repeats", repeats);
        figures.put("secondsPerRun", seconds.toSeconds());
        figures.put("loadGenerator", "wrk " + Wrk.BINARY + ", separate process; API in a child JVM");
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("rows", rows);
        Map<String, Object> goal = goal(rows);
        figures.put("goal", goal);
        table.append(String.format(Locale.ROOT, "Goal (issue 6): /email/send at 64 connections >= %.0f req/s with p99 < %.0f ms "
                        + "(gomail: ~%.0f, p99 %.0f ms): %s%n", 2 * GOMAIL_64_REQUESTS_PER_SECOND, GOMAIL_64_P99_MILLIS,
                GOMAIL_64_REQUESTS_PER_SECOND, GOMAIL_64_P99_MILLIS, goal.get("summary")));
        figures.put(DrillResult.VIOLATIONS, violations);
        List<Chart> charts = List.of(
                new Chart("throughput", "API requests/s by connections (median)", "connections", "requests/s", series(throughput)),
                new Chart("p99", "API p99 latency by connections (median)", "connections", "p99 ms", series(p99)));
        return new DrillResult(figures, table.toString(), charts);
    }

    private static Map<String, Object> goal(List<Map<String, Object>> rows) {
        Map<String, Object> goal = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (row.get("endpoint").equals("/email/send") && (int) row.get("connections") == 64
                    && row.get("apiBuild").equals("current")) {
                double rps = (double) row.get("requestsPerSecond");
                double p99 = (double) row.get("p99Millis");
                boolean met = rps >= 2 * GOMAIL_64_REQUESTS_PER_SECOND && p99 < GOMAIL_64_P99_MILLIS;
                String store = (boolean) row.get("statusStore") ? "with store" : "without store";
                goal.put(store, Map.of("requestsPerSecond", rps, "p99Millis", p99, "met", met));
                parts.add(String.format(Locale.ROOT, "%s %.0f req/s, p99 %.0f ms: %s", store, rps, p99, met ? "met" : "not met"));
            }
        }
        goal.put("summary", String.join("; ", parts));
        return goal;
    }

    private static List<Double> ratios(List<Cell> cells, String stack, String endpoint, int connections, String top, String bottom) {
        List<Double> out = new ArrayList<>();
        for (Cell a : cells) {
            if (a.stack().equals(stack) && a.endpoint().equals(endpoint) && a.connections() == connections && a.variant().equals(top)) {
                for (Cell b : cells) {
                    if (b.stack().equals(stack) && b.endpoint().equals(endpoint) && b.connections() == connections
                            && b.variant().equals(bottom) && b.repeat() == a.repeat() && b.run().requestsPerSecond() > 0) {
                        out.add(a.run().requestsPerSecond() / b.run().requestsPerSecond());
                    }
                }
            }
        }
        return out;
    }

    /** The current build against the baseline build, per repeat, for the same variant and cell. */
    private static List<Double> buildRatios(List<Cell> cells, Key key) {
        List<Double> out = new ArrayList<>();
        for (Cell a : cells) {
            if (!a.stack().equals("current") || !a.variant().equals(key.variant()) || !a.endpoint().equals(key.endpoint())
                    || a.connections() != key.connections()) {
                continue;
            }
            for (Cell b : cells) {
                if (b.stack().equals("baseline") && b.variant().equals(a.variant()) && b.endpoint().equals(a.endpoint())
                        && b.connections() == a.connections() && b.repeat() == a.repeat() && b.run().requestsPerSecond() > 0) {
                    out.add(a.run().requestsPerSecond() / b.run().requestsPerSecond());
                }
            }
        }
        return out;
    }

    private static List<Series> series(Map<String, List<Point>> points) {
        return points.entrySet().stream().map(e -> new Series(e.getKey(), e.getValue())).toList();
    }

    private static String url(ApiStackMain.Stack stack, String variant, String path) {
        return "http://127.0.0.1:" + stack.variants().get(variant).port() + path;
    }

    /** SendMessageBatch calls and envelopes so far, from the API's Prometheus summary. */
    private static double[] batchCounts(HttpClient http, int port) throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double[] out = new double[2];
        for (String line : metrics.split("\n")) {
            if (line.startsWith("herald_api_sqs_batch_entries_count ")) {
                out[0] = Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip());
            } else if (line.startsWith("herald_api_sqs_batch_entries_sum ")) {
                out[1] = Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip());
            }
        }
        return out;
    }

    /** This classpath with the API module (jar or classes folder) replaced by {@code jar}. */
    static String withApiJar(String classpath, Path jar) {
        String[] entries = classpath.split(java.io.File.pathSeparator);
        boolean replaced = false;
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].replace('\\', '/');
            if (entry.matches(".*/herald-api-[^/]*\\.jar") || entry.endsWith("/api/target/classes")) {
                entries[i] = jar.toString();
                replaced = true;
            }
        }
        if (!replaced) {
            throw new IllegalStateException("the API module is not on this classpath, so it cannot be swapped: " + classpath);
        }
        return String.join(java.io.File.pathSeparator, Arrays.asList(entries));
    }
}
