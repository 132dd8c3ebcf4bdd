package io.herald.bench;

import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.StatusTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The pipeline drill's measurements, everything as deployed and in separate processes: a standalone ElasticMQ and a
 * standalone DynamoDB Local, each behind a request-counting proxy ({@link StoreServer}); the SQS floor (a plain SDK
 * client, receive 10 + delete batch 10, swept over thread counts, clocked to its last delete); the packaged
 * {@code bin/herald pipeline} with the shipped defaults, its status store on, the real SES and SendGrid clients against
 * fakes of their APIs at 0 and 100 ms (a cold run in a fresh process, then a warm one in the same process on a refilled
 * queue); Spring Cloud AWS's SQS listener with a no-op listener, default and tuned. The kinds of runs are interleaved
 * within each repetition. Then scale-out (1, 2, 4 pipeline processes on one queue) and a steady low rate.
 *
 * <p>Nothing here depends on how the pipeline works inside: it is started as a site starts it, counted at the servers'
 * doors, and timed from outside.
 */
public final class PipelineBench {

    /** Options of one drill run. */
    record Settings(
            int messages,
            int repeats,
            List<Integer> floorThreads,
            List<Integer> scaleOut,
            int steadyRate,
            Duration steadySeconds,
            int springConcurrency,
            Path baseline,
            Path jfrDir,
            Set<String> skip) {}

    /** The parts of the drill {@code --skip} may leave out (Herald's own drains always run). */
    static final Set<String> SKIPPABLE = Set.of("floor", "spring", "scale-out", "steady");

    /** An image whose pipeline is drained: the one under test ("herald") or the --baseline-image one. */
    private record Build(String name, Path launcher) {}

    private static final List<Integer> LATENCIES_MILLIS = List.of(0, 100);
    private static final String TABLE = "herald-bench-status";
    /** The longest a drain of the drill's sizes may take on a busy machine before the drill gives up. */
    private static final Duration MIN_DRAIN_LIMIT = Duration.ofMinutes(3);

    private final Settings settings;
    private final Path scratch;
    private final PrintStream progress;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    /** Pipelines finished with stop here in the background: a stop may wait for a 20 s long poll. */
    private final ExecutorService closing = Executors.newVirtualThreadPerTaskExecutor();

    private final List<String> violations = new ArrayList<>();
    private Path launcher;
    private final List<Build> builds = new ArrayList<>();
    private StoreServer sqsServer;
    private StoreServer dynamoServer;
    private SqsClient direct;
    private SqsClient floorClient;
    private final Map<Integer, EmailApiFake[]> fakes = new LinkedHashMap<>();
    private int queueCounter;
    private int processCounter;

    /** A JFR recording of DynamoDB Local's JVM to write, or null. */
    private final Path storeJfr;

    PipelineBench(Settings settings, Path scratch, PrintStream progress) {
        this(settings, scratch, progress, null);
    }

    /** @param storeJfr where to write a JFR recording (profile settings) of DynamoDB Local's JVM, or null for none */
    PipelineBench(Settings settings, Path scratch, PrintStream progress, Path storeJfr) {
        this.settings = settings;
        this.scratch = scratch;
        this.progress = progress;
        this.storeJfr = storeJfr;
    }

    Map<String, Object> run() throws Exception {
        launcher = PipelineProcess.launcher();
        progress("packaged pipeline: %s", launcher);
        builds.add(new Build("herald", launcher));
        if (settings.baseline() != null) {
            Path baseline = settings.baseline().resolve("bin").resolve("herald");
            progress("baseline pipeline: %s (taking turns with the one under test)", baseline);
            builds.add(new Build("baseline", baseline));
        }
        progress("starting ElasticMQ and DynamoDB Local, each in its own process behind a counting proxy");
        sqsServer = StoreServer.start("sqs");
        if (storeJfr == null) {
            dynamoServer = StoreServer.start("dynamodb");
        } else {
            // Lock contention (monitor enter, parks) and CPU samples, written when the child exits at the end.
            java.nio.file.Files.createDirectories(storeJfr.toAbsolutePath().getParent());
            progress("recording DynamoDB Local's JVM with JFR into %s", storeJfr);
            // JFR's start-up line would go to stdout, where the child's ready line is expected.
            dynamoServer = StoreServer.start(
                    "dynamodb",
                    List.of(
                            "-Xmx1g",
                            "-XX:+UseParallelGC",
                            "-Xlog:jfr+startup=off",
                            "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + storeJfr));
        }
        direct = SqsClients.create(sqsConfig(sqsServer.direct().toString(), "unused", 50));
        int maxThreads = settings.floorThreads().stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElse(8);
        floorClient = SqsClients.create(sqsConfig(sqsServer.proxy().toString(), "unused", maxThreads + 8));
        try (DynamoDbClient dynamo = DynamoDbClients.create(
                new HeraldConfig.Status(dynamoServer.direct().toString(), "us-east-1", TABLE, Duration.ofDays(7)))) {
            StatusTable.createIfMissing(dynamo, TABLE);
        }
        for (int latency : LATENCIES_MILLIS) {
            fakes.put(latency, new EmailApiFake[] {
                new EmailApiFake(EmailApiFake.Api.SES, Duration.ofMillis(latency)),
                new EmailApiFake(EmailApiFake.Api.SENDGRID, Duration.ofMillis(latency))
            });
        }
        try {
            List<DrainRun> runs = new ArrayList<>();
            for (int rep = 1; rep <= settings.repeats(); rep++) {
                for (int threads : settings.skip().contains("floor") ? List.<Integer>of() : settings.floorThreads()) {
                    progress(
                            "repeat %d/%d: floor, %d threads, %d messages",
                            rep, settings.repeats(), threads, settings.messages());
                    int r = rep;
                    attempt(runs, "floor " + threads + " threads, repeat " + rep, () -> List.of(floor(r, threads)));
                }
                for (int latency : LATENCIES_MILLIS) {
                    // With a baseline the two images take turns, the first to go alternating between repetitions.
                    List<Build> order = new ArrayList<>(builds);
                    if (rep % 2 == 0) {
                        java.util.Collections.reverse(order);
                    }
                    for (Build build : order) {
                        progress(
                                "repeat %d/%d: %s pipeline, providers at %d ms: cold run (fresh process), then warm",
                                rep, settings.repeats(), build.name(), latency);
                        int r = rep;
                        attempt(
                                runs,
                                build.name() + " " + latency + " ms, repeat " + rep,
                                () -> heraldColdThenWarm(r, latency, build));
                    }
                }
                int r = rep;
                if (!settings.skip().contains("spring")) {
                    progress("repeat %d/%d: Spring Cloud AWS listener, default settings", rep, settings.repeats());
                    attempt(runs, "spring default, repeat " + rep, () -> List.of(spring(r, false, false)));
                    progress(
                            "repeat %d/%d: Spring Cloud AWS listener, maxConcurrentMessages %d",
                            rep, settings.repeats(), settings.springConcurrency());
                    attempt(runs, "spring tuned, repeat " + rep, () -> List.of(spring(r, true, false)));
                    progress(
                            "repeat %d/%d: Spring Cloud AWS listener, maxConcurrentMessages %d, each message sent "
                                    + "through the SES SDK client (providers at 0 ms)",
                            rep, settings.repeats(), settings.springConcurrency());
                    attempt(runs, "spring tuned + SES, repeat " + rep, () -> List.of(spring(r, true, true)));
                }
                DrainFigures.bestFloor(runs, rep)
                        .ifPresent(best -> progress(
                                "repeat %d/%d done: best floor %.0f msg/s " + "(%s)",
                                r, settings.repeats(), best.messagesPerSecond(), best.label()));
            }
            List<DrainRun> scaleOut = new ArrayList<>();
            for (int processes : settings.skip().contains("scale-out") ? List.<Integer>of() : settings.scaleOut()) {
                progress(
                        "scale-out: %d pipeline process(es) on one queue, %d messages", processes, settings.messages());
                attempt(scaleOut, "scale-out " + processes, () -> List.of(scaleOut(processes)));
            }
            // The shipped receiveLinger and none, side by side: what the linger saves in requests, and costs in
            // latency.
            List<Map<String, Object>> steadyRuns = new ArrayList<>();
            List<String> lingers = settings.skip().contains("steady") ? List.of() : java.util.Arrays.asList(null, "0s");
            for (String linger : lingers) {
                String name = linger == null ? "shipped receiveLinger" : "receiveLinger " + linger;
                progress(
                        "steady (%s): %d msg/s for %d s into one pipeline process, then as long idle",
                        name, settings.steadyRate(), settings.steadySeconds().toSeconds());
                Map<String, Object> one;
                try {
                    one = new LinkedHashMap<>(steady(linger));
                    progress(
                            "  steady (%s): latency p50 %.0f ms, p99 %.0f ms; %.3f SQS requests per message; idle "
                                    + "%.2f SQS requests/s; pipeline heap peak %.0f MiB, RSS peak %.0f MiB",
                            name,
                            (double) one.get("latencyP50Millis"),
                            (double) one.get("latencyP99Millis"),
                            (double) one.get("sqsRequestsPerMessage"),
                            (double) one.get("idleSqsRequestsPerSecond"),
                            (double) one.get("pipelineHeapPeakMiB"),
                            (double) one.get("pipelineRssPeakMiB"));
                } catch (Exception e) {
                    violations.add("the steady run (" + name + ") did not finish: " + reason(e));
                    one = new LinkedHashMap<>(Map.of("error", reason(e)));
                }
                one.put("receiveLinger", linger == null ? "shipped" : linger);
                steadyRuns.add(one);
            }
            Map<String, Object> steady = steadyRuns.isEmpty() ? Map.of("skipped", true) : steadyRuns.getFirst();

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("messagesPerRun", settings.messages());
            out.put("repeats", settings.repeats());
            out.put("floorThreads", settings.floorThreads());
            out.put("pipeline", launcher.toString());
            out.put("loadAverageAtEnd", loadAverage());
            out.put("medians", DrainFigures.medians(runs));
            if (settings.baseline() != null) {
                out.put("baselineImage", settings.baseline().toString());
                out.put("againstBaseline", DrainFigures.againstBaseline(runs));
            }
            out.put("runs", runs.stream().map(r -> runFigures(runs, r)).toList());
            out.put(
                    "scaleOut",
                    scaleOut.stream().map(r -> runFigures(scaleOut, r)).toList());
            out.put("steady", steady);
            out.put("steadyByReceiveLinger", steadyRuns);
            out.put(DrillResult.VIOLATIONS, List.copyOf(violations));
            return out;
        } finally {
            closing.close();
            fakes.values().forEach(pair -> {
                pair[0].close();
                pair[1].close();
            });
            floorClient.close();
            direct.close();
            dynamoServer.close();
            sqsServer.close();
        }
    }

    /**
     * Runs one measurement; one that fails is named among the violations and the drill goes on (its processes are
     * stopped by the measurement's own clean-up), so a long run keeps what it measured.
     */
    private void attempt(List<DrainRun> runs, String what, java.util.concurrent.Callable<List<DrainRun>> measurement)
            throws InterruptedException {
        try {
            for (DrainRun run : measurement.call()) {
                report(runs, run);
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            violations.add(what + " did not finish: " + reason(e));
            progress("  %s did not finish: %s", what, reason(e));
        }
    }

    private static String reason(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Keeps a run and prints its figures as a progress line, so a long drill shows what it has measured so far. */
    private void report(List<DrainRun> runs, DrainRun run) {
        runs.add(run);
        progress(
                "  %s: %.2f s, %.0f msg/s, %.0f msg per CPU-s, %.3f SQS and %.3f status requests per message",
                run.label(),
                run.seconds(),
                run.messagesPerSecond(),
                run.messagesPerCpuSecond(),
                run.sqsRequestsPerMessage(),
                run.statusRequestsPerMessage());
    }

    private static Map<String, Object> runFigures(List<DrainRun> all, DrainRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", r.label());
        m.put("kind", r.kind());
        m.put("repeat", r.repeat());
        m.put("messages", r.messages());
        m.put("seconds", r.seconds());
        m.put("messagesPerSecond", r.messagesPerSecond());
        m.put("ratioToFloor", r.kind().equals(DrainFigures.FLOOR) ? Double.NaN : DrainFigures.ratioToFloor(all, r));
        m.put("cpuSeconds", r.cpuSeconds());
        m.put("messagesPerCpuSecond", r.messagesPerCpuSecond());
        m.put("sqsRequests", r.sqs());
        m.put("sqsRequestsPerMessage", r.sqsRequestsPerMessage());
        m.put("statusRequests", r.status());
        m.put("statusRequestsPerMessage", r.statusRequestsPerMessage());
        m.put("storeCpuSeconds", r.storeCpuSeconds());
        m.put("duplicates", r.duplicates());
        m.put("lost", r.lost());
        return m;
    }

    // ---- the floor ---------------------------------------------------------------------------

    /**
     * A plain SDK client, {@code threads} threads each receiving 10 and deleting them in one batch, through the
     * counting proxy like every consumer; clocked to its last delete, not to the empty long polls that end its threads.
     */
    private DrainRun floor(int repeat, int threads) throws Exception {
        QueueRef queue = filledQueue();
        int messages = settings.messages();
        AtomicInteger drained = new AtomicInteger();
        AtomicLong lastDelete = new AtomicLong();
        Counters before = counters();
        double cpuBefore = ProcCpu.seconds(ProcessHandle.current().pid());
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    while (drained.get() < messages) {
                        List<Message> got = floorClient
                                .receiveMessage(b -> b.queueUrl(queue.url())
                                        .maxNumberOfMessages(10)
                                        .waitTimeSeconds(1))
                                .messages();
                        if (got.isEmpty()) {
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> entries = IntStream.range(0, got.size())
                                .mapToObj(i -> DeleteMessageBatchRequestEntry.builder()
                                        .id("d" + i)
                                        .receiptHandle(got.get(i).receiptHandle())
                                        .build())
                                .toList();
                        floorClient.deleteMessageBatch(
                                b -> b.queueUrl(queue.url()).entries(entries));
                        lastDelete.accumulateAndGet(System.nanoTime(), Math::max);
                        drained.addAndGet(got.size());
                    }
                    return null;
                });
            }
        }
        double seconds = (lastDelete.get() - start) / 1e9;
        double cpu = ProcCpu.seconds(ProcessHandle.current().pid()) - cpuBefore;
        Counters after = counters();
        return new DrainRun(
                "floor " + threads + " threads",
                DrainFigures.FLOOR,
                repeat,
                messages,
                seconds,
                cpu,
                DrainRun.delta(before.sqs, after.sqs),
                DrainRun.delta(before.status, after.status),
                after.storeCpu - before.storeCpu,
                0,
                messages - drained.get());
    }

    // ---- Herald ------------------------------------------------------------------------------

    private List<DrainRun> heraldColdThenWarm(int repeat, int latency, Build build) throws Exception {
        List<DrainRun> out = new ArrayList<>();
        QueueRef queue = filledQueue();
        clearFakes(latency);
        Counters before = counters();
        int admin = freePort();
        Path jfr = settings.jfrDir() == null
                ? null
                : settings.jfrDir()
                        .resolve(String.format(Locale.ROOT, "pipeline-%s-%dms-r%d.jfr", build.name(), latency, repeat));
        PipelineProcess process = PipelineProcess.start(
                build.launcher(),
                scratch,
                "pipeline-" + (++processCounter),
                endpoints(queue, latency),
                admin,
                null,
                jfr);
        try {
            // Cold: the clock starts with the process, so JVM start, connections and JIT are in it.
            long settled = awaitDrained(queue, latency, List.of(process));
            double seconds = (settled - process.startedNanos()) / 1e9;
            out.add(heraldRun(
                    build.name() + " " + latency + " ms cold", repeat, seconds, process.cpuSeconds(), before, latency));
            process.awaitReady(admin, Duration.ofSeconds(60));
            out.add(warm(build.name() + " " + latency + " ms warm", repeat, queue, latency, List.of(process)));
        } finally {
            closeLater(List.of(process));
        }
        return out;
    }

    /**
     * The consumers already run and idle; the queue is refilled while their receives wait at the proxy's gate, then the
     * gate opens and the clock starts.
     */
    private DrainRun warm(String label, int repeat, QueueRef queue, int latency, List<PipelineProcess> processes)
            throws Exception {
        sqsServer.holdReceives(Duration.ofSeconds(40));
        try {
            fill(queue);
        } catch (RuntimeException e) {
            sqsServer.releaseReceives();
            throw e;
        }
        clearFakes(latency);
        Counters before = counters();
        double cpuBefore = cpu(processes);
        long start = System.nanoTime();
        sqsServer.releaseReceives();
        long settled = awaitDrained(queue, latency, processes);
        return heraldRun(label, repeat, (settled - start) / 1e9, cpu(processes) - cpuBefore, before, latency);
    }

    private DrainRun heraldRun(String label, int repeat, double seconds, double cpu, Counters before, int latency)
            throws IOException, InterruptedException {
        Counters after = counters();
        List<String> ids = new ArrayList<>();
        for (EmailApiFake fake : fakes.get(latency)) {
            ids.addAll(fake.acceptedIds());
        }
        Set<String> unique = new HashSet<>(ids);
        int messages = settings.messages();
        int duplicates = ids.size() - unique.size();
        int lost = Math.max(0, messages - unique.size());
        if (duplicates > 0 || lost > 0) {
            violations.add(String.format(
                    Locale.ROOT,
                    "%s (repeat %d): %d duplicates, %d lost of %d, without faults",
                    label,
                    repeat,
                    duplicates,
                    lost,
                    messages));
        }
        return new DrainRun(
                label,
                "herald",
                repeat,
                messages,
                seconds,
                cpu,
                DrainRun.delta(before.sqs, after.sqs),
                DrainRun.delta(before.status, after.status),
                after.storeCpu - before.storeCpu,
                duplicates,
                lost);
    }

    private DrainRun scaleOut(int count) throws Exception {
        QueueRef queue = SqsQueues.provision(
                        direct, sqsConfig(sqsServer.direct().toString(), nextQueueName(), 50))
                .getFirst();
        List<PipelineProcess> processes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                int admin = freePort();
                PipelineProcess p = PipelineProcess.start(
                        launcher, scratch, "pipeline-" + (++processCounter), endpoints(queue, 0), admin, null, null);
                processes.add(p);
                p.awaitReady(admin, Duration.ofSeconds(90));
            }
            DrainRun run = warm("scale-out " + count + " process" + (count == 1 ? "" : "es"), 1, queue, 0, processes);
            progress(
                    "scale-out %d: %.0f msg/s, %d duplicates, %.3f SQS and %.3f status requests per message",
                    count,
                    run.messagesPerSecond(),
                    run.duplicates(),
                    run.sqsRequestsPerMessage(),
                    run.statusRequestsPerMessage());
            return run;
        } finally {
            closeLater(processes);
        }
    }

    /**
     * A steady low rate into one idle pipeline: what each message costs in requests and CPU when there is no batch to
     * share, how long each waits from its SendMessageBatch call to its delivery at a fake, the pipeline's heap and RSS
     * at their highest (sampled each second), then as long again with nothing to do: the SQS requests an idle pipeline
     * makes.
     *
     * @param receiveLinger {@code pipeline.receiveLinger}, or null for the shipped one
     */
    private Map<String, Object> steady(String receiveLinger) throws Exception {
        QueueRef queue = SqsQueues.provision(
                        direct, sqsConfig(sqsServer.direct().toString(), nextQueueName(), 50))
                .getFirst();
        int admin = freePort();
        PipelineProcess process = PipelineProcess.start(
                launcher, scratch, "pipeline-" + (++processCounter), endpoints(queue, 0), admin, receiveLinger, null);
        AtomicLong heapPeak = new AtomicLong();
        AtomicLong rssPeak = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = null;
        try {
            process.awaitReady(admin, Duration.ofSeconds(90));
            sampler = Thread.ofVirtual()
                    .name("steady-memory")
                    .start(() -> sampleMemory(process, admin, sampling, heapPeak, rssPeak));
            clearFakes(0);
            Counters before = counters();
            double cpuBefore = process.cpuSeconds();
            long start = System.nanoTime();
            int sent;
            Map<String, Long> enqueuedAt;
            try (SteadyLoad load = new SteadyLoad(direct, queue.url(), "steady", settings.steadyRate())) {
                load.start(settings.steadySeconds());
                load.join();
                sent = load.sent().size();
                enqueuedAt = load.enqueuedAt();
            }
            Await.until(() -> accepted(0) >= sent, drainLimit(), "the steady run's deliveries");
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = process.cpuSeconds() - cpuBefore;
            Counters after = counters();
            List<EmailApiFake.Received> received = new ArrayList<>();
            for (EmailApiFake fake : fakes.get(0)) {
                received.addAll(fake.received());
            }
            List<Double> latencies = latenciesMillis(enqueuedAt, received);
            // Idle: the last deletes settle within settleLinger; then nothing arrives for as long as the load ran.
            awaitEmpty(queue);
            Counters idleBefore = counters();
            long idleStart = System.nanoTime();
            Thread.sleep(settings.steadySeconds());
            Counters idleAfter = counters();
            double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
            Map<String, Long> idle = DrainRun.delta(idleBefore.sqs, idleAfter.sqs);
            Map<String, Long> sqs = DrainRun.delta(before.sqs, after.sqs);
            Map<String, Long> status = DrainRun.delta(before.status, after.status);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ratePerSecond", settings.steadyRate());
            out.put("messages", sent);
            out.put("seconds", seconds);
            out.put("pipelineCpuSeconds", cpu);
            out.put(
                    "sqsRequestsPerMessage",
                    sqs.values().stream().mapToLong(Long::longValue).sum() / (double) sent);
            out.put("sqsRequestsPerMessageByAction", DrainRun.perMessage(sqs, sent));
            out.put(
                    "statusRequestsPerMessage",
                    status.values().stream().mapToLong(Long::longValue).sum() / (double) sent);
            out.put("statusRequestsPerMessageByAction", DrainRun.perMessage(status, sent));
            out.put("storeCpuSeconds", after.storeCpu - before.storeCpu);
            out.put("latencyP50Millis", Percentile.of(latencies, 0.50));
            out.put("latencyP99Millis", Percentile.of(latencies, 0.99));
            out.put("latencyMaxMillis", Percentile.of(latencies, 1.0));
            out.put("latencyMessages", latencies.size());
            out.put("idleSeconds", idleSeconds);
            out.put(
                    "idleSqsRequestsPerSecond",
                    idle.values().stream().mapToLong(Long::longValue).sum() / idleSeconds);
            out.put("idleSqsRequestsByAction", idle);
            sampling.set(false);
            sampler.join();
            out.put("pipelineHeapPeakMiB", heapPeak.get() / 1024.0 / 1024.0);
            out.put("pipelineRssPeakMiB", rssPeak.get() / 1024.0);
            return out;
        } finally {
            sampling.set(false);
            closeLater(List.of(process));
        }
    }

    /** Once a second until told to stop: the pipeline's heap in use (its /metrics) and RSS, keeping the highest. */
    private static void sampleMemory(
            PipelineProcess process,
            int admin,
            java.util.concurrent.atomic.AtomicBoolean on,
            AtomicLong heapPeakBytes,
            AtomicLong rssPeakKib) {
        java.net.URI metrics = java.net.URI.create("http://127.0.0.1:" + admin + "/metrics");
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            while (on.get() && process.alive()) {
                try {
                    String scrape = http.send(
                                    java.net.http.HttpRequest.newBuilder(metrics)
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body();
                    double heap = SoakFigures.heapMiB(scrape);
                    if (!Double.isNaN(heap)) {
                        heapPeakBytes.accumulateAndGet((long) (heap * 1024 * 1024), Math::max);
                    }
                    double rss = SoakFigures.rssMiB(
                            java.nio.file.Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
                    if (!Double.isNaN(rss)) {
                        rssPeakKib.accumulateAndGet((long) (rss * 1024), Math::max);
                    }
                    Thread.sleep(1000);
                } catch (IOException e) {
                    // the process is stopping, or the machine is too busy to answer within 5 s: the next sample
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * From each message's SendMessageBatch call to its first delivery a fake accepted, in ms; messages the fakes never
     * accepted have no latency (the caller counts them lost), ids not in {@code enqueuedAt} are not the load's.
     */
    static List<Double> latenciesMillis(Map<String, Long> enqueuedAt, List<EmailApiFake.Received> received) {
        Map<String, Long> first = new java.util.HashMap<>();
        for (EmailApiFake.Received r : received) {
            if (r.accepted() && enqueuedAt.containsKey(r.heraldId())) {
                first.merge(r.heraldId(), r.nanos(), Math::min);
            }
        }
        List<Double> out = new ArrayList<>();
        first.forEach((id, at) -> out.add((at - enqueuedAt.get(id)) / 1e6));
        return out;
    }

    // ---- the peer ----------------------------------------------------------------------------

    /** @param sendsEmail whether the listener sends each message through the SES SDK client to the 0 ms fake */
    private DrainRun spring(int repeat, boolean tuned, boolean sendsEmail) throws Exception {
        QueueRef queue = SqsQueues.provision(
                        direct, sqsConfig(sqsServer.direct().toString(), nextQueueName(), 50))
                .getFirst();
        List<String> args = new ArrayList<>(List.of(sqsServer.proxy().toString(), queue.name()));
        if (tuned) {
            args.addAll(List.of("tuned", Integer.toString(settings.springConcurrency()), "10"));
        } else {
            args.add("default");
        }
        if (sendsEmail) {
            args.add(fakes.get(0)[0].baseUrl());
            clearFakes(0);
        }
        String label = (tuned ? "spring maxConcurrentMessages " + settings.springConcurrency() : "spring default")
                + (sendsEmail ? " + SES send" : "");
        try (ChildJvm child = ChildJvm.start(SpringDrainMain.class, List.of(), args, Duration.ofSeconds(90))) {
            if (!child.readyLine().equals("ready")) {
                throw new IllegalStateException(
                        "the Spring listener said '" + child.readyLine() + "' instead of ready");
            }
            sqsServer.holdReceives(Duration.ofSeconds(40));
            fill(queue);
            Counters before = counters();
            double cpuBefore = ProcCpu.seconds(child.pid());
            long start = System.nanoTime();
            sqsServer.releaseReceives();
            long settled = awaitEmpty(queue);
            double cpu = ProcCpu.seconds(child.pid()) - cpuBefore;
            Counters after = counters();
            int duplicates = 0;
            int lost = 0;
            if (sendsEmail) {
                List<String> ids = fakes.get(0)[0].acceptedIds();
                duplicates = ids.size() - new HashSet<>(ids).size();
                lost = Math.max(0, settings.messages() - new HashSet<>(ids).size());
            }
            return new DrainRun(
                    label,
                    "spring",
                    repeat,
                    settings.messages(),
                    (settled - start) / 1e9,
                    cpu,
                    DrainRun.delta(before.sqs, after.sqs),
                    DrainRun.delta(before.status, after.status),
                    after.storeCpu - before.storeCpu,
                    duplicates,
                    lost);
        }
    }

    // ---- queues, counters, waiting -----------------------------------------------------------

    private record Counters(Map<String, Long> sqs, Map<String, Long> status, double storeCpu) {}

    private Counters counters() throws IOException, InterruptedException {
        return new Counters(sqsServer.counts(), dynamoServer.counts(), dynamoServer.cpuSeconds());
    }

    private static double cpu(List<PipelineProcess> processes) {
        return processes.stream().mapToDouble(PipelineProcess::cpuSeconds).sum();
    }

    private PipelineProcess.Endpoints endpoints(QueueRef queue, int latency) {
        EmailApiFake[] pair = fakes.get(latency);
        return new PipelineProcess.Endpoints(
                sqsServer.proxy(), queue.name(), dynamoServer.proxy(), TABLE, pair[0].baseUrl(), pair[1].baseUrl());
    }

    private void clearFakes(int latency) {
        for (EmailApiFake fake : fakes.get(latency)) {
            fake.clear();
        }
    }

    private int accepted(int latency) {
        int n = 0;
        for (EmailApiFake fake : fakes.get(latency)) {
            n += fake.acceptedCount();
        }
        return n;
    }

    /** Every message accepted by a fake and none left on the queue (visible or in flight): the run's end. */
    private long awaitDrained(QueueRef queue, int latency, List<PipelineProcess> processes)
            throws InterruptedException {
        long deadline = System.nanoTime() + drainLimit().toNanos();
        while (true) {
            if (accepted(latency) >= settings.messages() && LocalSqs.messagesOn(direct, queue.url()) == 0) {
                return System.nanoTime();
            }
            for (PipelineProcess p : processes) {
                if (!p.alive()) {
                    throw new IllegalStateException("a pipeline process stopped mid-run; its last lines: " + p.tail());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the pipeline did not drain " + settings.messages() + " messages within "
                                + drainLimit().toSeconds() + " s (" + accepted(latency) + " accepted by the fakes)");
            }
            Thread.sleep(5);
        }
    }

    private long awaitEmpty(QueueRef queue) throws InterruptedException {
        long deadline = System.nanoTime() + drainLimit().toNanos();
        while (LocalSqs.messagesOn(direct, queue.url()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the queue was not drained within " + drainLimit().toSeconds() + " s");
            }
            Thread.sleep(5);
        }
        return System.nanoTime();
    }

    /** Generous: at 20 messages per second, slower than anything measured here by far. */
    private Duration drainLimit() {
        return Duration.ofSeconds(Math.max(MIN_DRAIN_LIMIT.toSeconds(), settings.messages() / 20));
    }

    private String nextQueueName() {
        return "bench-drain-" + (++queueCounter);
    }

    private QueueRef filledQueue() throws InterruptedException {
        QueueRef queue = SqsQueues.provision(
                        direct, sqsConfig(sqsServer.direct().toString(), nextQueueName(), 50))
                .getFirst();
        fill(queue);
        return queue;
    }

    /**
     * Fills the queue straight at ElasticMQ (not counted), sixteen producers of 10-message batches at once, and tops it
     * up if it came out short (twice on a loaded machine a full-size fill was found 1 and 27 messages short); a
     * producer's failure fails the fill.
     */
    private void fill(QueueRef queue) throws InterruptedException {
        int messages = settings.messages();
        int on = 0;
        for (int round = 1; round <= 3; round++) {
            send(queue, messages - on, "drain-" + queue.name() + "-" + round);
            on = LocalSqs.messagesOn(direct, queue.url());
            if (on >= messages) {
                break;
            }
            progress("  %s came out %d messages short; topping it up", queue.name(), messages - on);
        }
        if (on != messages) {
            throw new IllegalStateException("filled " + queue.name() + " with " + on + " of " + messages + " messages");
        }
    }

    private void send(QueueRef queue, int count, String drill) throws InterruptedException {
        SqsProducer producer = new SqsProducer(direct, codec);
        AtomicInteger next = new AtomicInteger();
        List<java.util.concurrent.Future<Object>> producers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int p = 0; p < 16; p++) {
                producers.add(pool.submit(() -> {
                    while (true) {
                        int first = next.getAndAdd(SqsProducer.MAX_BATCH_ENTRIES);
                        if (first >= count) {
                            return null;
                        }
                        List<Envelope> batch = new ArrayList<>();
                        for (int i = first; i < Math.min(count, first + SqsProducer.MAX_BATCH_ENTRIES); i++) {
                            batch.add(LocalSqs.email(drill, i));
                        }
                        sendAll(producer, queue, batch);
                    }
                }));
            }
        }
        for (java.util.concurrent.Future<Object> f : producers) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("filling " + queue.name() + " failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * Sends a batch, sending again what SQS did not take (on a loaded machine an entry can fail with a timeout): a
     * queue short of a message would never be seen drained.
     */
    private static void sendAll(SqsProducer producer, QueueRef queue, List<Envelope> batch) {
        List<Envelope> pending = batch;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            Set<String> failed = new HashSet<>();
            for (EnqueueResult result : producer.send(queue.url(), pending)) {
                if (result instanceof EnqueueResult.NotEnqueued n) {
                    if (attempt == 5 || !n.retryable()) {
                        throw new IllegalStateException(
                                "filling " + queue.name() + ": SQS refused a message: " + n.code() + " " + n.reason());
                    }
                    failed.add(n.envelopeId());
                }
            }
            pending = pending.stream().filter(e -> failed.contains(e.id())).toList();
        }
    }

    private static HeraldConfig.Sqs sqsConfig(String endpoint, String queue, int maxConnections) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(
                endpoint,
                d.region(),
                List.of(queue),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                d.visibilityTimeout(),
                maxConnections);
    }

    private void closeLater(List<PipelineProcess> processes) {
        for (PipelineProcess p : processes) {
            closing.submit(() -> {
                p.close();
                return null;
            });
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void progress(String format, Object... args) {
        progress.printf(Locale.ROOT, "bench: pipeline: " + format + "%n", args);
    }
}
