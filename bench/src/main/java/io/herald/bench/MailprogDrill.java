package io.herald.bench;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.Mailprog;
import io.herald.mailprog.Shim;
import io.herald.mailprog.forward.ForwarderDaemon;
import io.herald.mailprog.forward.PassObserver;
import io.herald.mailprog.forward.SqsSink;
import io.herald.pipeline.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Drill 5: what herald-mailprog costs slurmctld per job event, and whether a burst gets through.
 *
 * <p>First the capture alone: the real script (dash) run one at a time under {@link PerfStat}, wall and CPU per
 * invocation, with the 30 variables of a Slurm END mail (the tests' fixture) and the spool on this machine's disk (real
 * fsyncs); beside it, for the record, the same capture as a JVM program ({@link JvmCapture}, JDK flags for fast
 * start-up). Then a burst: N invocations with 64 at a time (slurmctld's cap) while the forwarder runs, into an
 * ElasticMQ on loopback: every record spooled, every one on SQS (checked by job id), how long the forwarder took to
 * drain after the last capture, and the SQS requests it used, by action.
 */
public final class MailprogDrill implements Drill {

    static final int SLURMCTLD_CONCURRENCY = 64;
    /** The goal for one capture, wall and CPU at the median. */
    static final double GOAL_MILLIS = 5;

    static final int DEFAULT_BURST = 10_000;
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(120);

    @Override
    public String name() {
        return "mailprog";
    }

    @Override
    public String description() {
        return "herald-mailprog capture wall/CPU per invocation (perf stat) beside a JVM doing the same, "
                + "then a burst at "
                + "64 concurrent while the forwarder drains to SQS (all spooled, all forwarded, drain "
                + "time, SQS requests); "
                + "--captures 200 --jvm-captures 20 --burst " + DEFAULT_BURST
                + ", ~1.5 min (minutes more on a busy disk)";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        try (ScratchDir scratch = new ScratchDir("herald-bench-mailprog")) {
            return run(context, scratch.path());
        }
    }

    // The figures are Integer, Long or Double read from Map<String, Object>: Error Prone cannot see that %d and
    // %f fit them.
    @SuppressWarnings("FormatString")
    private DrillResult run(DrillContext context, Path work) throws Exception {
        DrillOptions options =
                DrillOptions.parse(name(), context.args(), Set.of("--captures", "--jvm-captures", "--burst"));
        int captures = options.intOption("--captures", 200, 10);
        int jvmCaptures = options.intOption("--jvm-captures", 20, 1);
        // 10,000 is the burst: ~50 s on a quiet disk here (2,000 took 9.9 s), minutes on a busy one,
        // where the two fsyncs per capture allow only ~30-60 captures/s at 64 concurrent.
        int burst = options.intOption("--burst", DEFAULT_BURST, 100);
        PrintStream progress = context.progress();
        PerfStat perf = PerfStat.ensureInstalled(work, progress);
        Fixtures.Case end = Fixtures.caseNamed("end-completed");

        Map<String, Object> figures = new LinkedHashMap<>();
        List<String> violations = new ArrayList<>();
        figures.put("spoolFileSystem", fileSystemOf(work));
        figures.put("cpuMeasuredWith", "perf stat -e task-clock,duration_time (the command and its children)");

        // 1. One capture at a time.
        Shim shim = Shim.install(Files.createDirectories(work.resolve("bin")), work.resolve("capture-spool"));
        progress.printf("mailprog: %d captures with herald-mailprog (dash), one at a time%n", captures);
        List<PerfStat.Sample> script = new ArrayList<>();
        for (int i = 0; i < captures; i++) {
            script.add(perf.run(shellCommand(shim, end.args()), end.env()));
        }
        progress.printf("mailprog: %d captures with the same capture as a JVM program%n", jvmCaptures);
        List<PerfStat.Sample> jvm = new ArrayList<>();
        for (int i = 0; i < jvmCaptures; i++) {
            jvm.add(perf.run(jvmCommand(shim.spool(), end.args()), end.env()));
        }
        long scriptFailures = script.stream().filter(s -> s.exitCode() != 0).count();
        long jvmFailures = jvm.stream().filter(s -> s.exitCode() != 0).count();
        if (scriptFailures > 0) {
            violations.add(scriptFailures + " of " + captures + " herald-mailprog captures did not exit 0");
        }
        long spooled = count(shim.spool().resolve("new"));
        if (spooled != captures - scriptFailures + jvmCaptures - jvmFailures) {
            violations.add("captures exited 0 " + (captures - scriptFailures + jvmCaptures - jvmFailures)
                    + " times but " + spooled + " records are in new/");
        }
        Map<String, Object> capture = new LinkedHashMap<>();
        capture.put("herald-mailprog", summary(script));
        capture.put("jvm", summary(jvm));
        figures.put("capture", capture);

        // 2. The burst, with the forwarder draining it.
        Map<String, Object> burstFigures = burst(burst, work, end, progress, violations);
        figures.put("burst", burstFigures);
        figures.put(DrillResult.VIOLATIONS, violations);

        Map<String, Object> s = summary(script);
        Map<String, Object> j = summary(jvm);
        String table = String.format(
                Locale.ROOT,
                """
                        herald-mailprog: capture cost per invocation (perf stat; spool on %s with real fsyncs), \
                        then a burst of %d at %d concurrent
                        | capture | runs | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms |
                        |---|---|---|---|---|---|
                        | herald-mailprog (dash) | %d | %.2f | %.2f | %.2f | %.2f |
                        | the same capture in a JVM (C1 only, SerialGC, CDS) | %d | %.1f | %.1f | %.1f | %.1f |
                        | burst | invocations | exit 0 | on SQS | dead-lettered | lost | burst s | drain after last \
                        capture s | SQS requests (by action) |
                        |---|---|---|---|---|---|---|---|---|
                        | %d at %d concurrent | %d | %d | %d | %d | %d | %.1f | %.1f | %s |
                        Goal: capture <= %.0f ms at the median: wall %s, CPU %s.
                        """,
                figures.get("spoolFileSystem"),
                burst,
                SLURMCTLD_CONCURRENCY,
                captures,
                s.get("wallP50Millis"),
                s.get("wallP99Millis"),
                s.get("cpuP50Millis"),
                s.get("cpuP99Millis"),
                jvmCaptures,
                j.get("wallP50Millis"),
                j.get("wallP99Millis"),
                j.get("cpuP50Millis"),
                j.get("cpuP99Millis"),
                burst,
                SLURMCTLD_CONCURRENCY,
                burst,
                burstFigures.get("exitedZero"),
                burstFigures.get("onSqs"),
                burstFigures.get("deadLettered"),
                burstFigures.get("lost"),
                burstFigures.get("burstSeconds"),
                burstFigures.get("drainSecondsAfterLastCapture"),
                burstFigures.get("sqsRequests"),
                GOAL_MILLIS,
                (double) s.get("wallP50Millis") <= GOAL_MILLIS ? "met" : "not met",
                (double) s.get("cpuP50Millis") <= GOAL_MILLIS ? "met" : "not met");
        @SuppressWarnings("unchecked")
        List<Series> timeline = (List<Series>) burstFigures.remove("timeline");
        List<Chart> charts = List.of(
                new Chart(
                        "burst",
                        "Burst of " + burst + " captures at " + SLURMCTLD_CONCURRENCY
                                + " concurrent, forwarder draining",
                        "seconds since the burst began",
                        "records / messages",
                        timeline),
                new Chart(
                        "capture",
                        "Capture wall time per invocation, sorted (herald-mailprog vs JVM)",
                        "percentile",
                        "wall ms",
                        List.of(sortedCurve("herald-mailprog (dash)", script), sortedCurve("JVM", jvm))));
        return new DrillResult(figures, table, charts);
    }

    private Map<String, Object> burst(
            int invocations, Path work, Fixtures.Case template, PrintStream progress, List<String> violations)
            throws Exception {
        Shim shim = Shim.install(Files.createDirectories(work.resolve("burst-bin")), work.resolve("burst-spool"));
        PipelineMetrics counted = new PipelineMetrics(new SimpleMeterRegistry());
        try (LocalSqs local = new LocalSqs()) {
            HeraldConfig defaults = HeraldConfig.defaults();
            HeraldConfig.Sqs sqsConfig =
                    local.config("bench-slurm", defaults.sqs().visibilityTimeout());
            // No sacct: a fake one would measure the fake. 1,000 users with 10 events each stay
            // within the default per-user cap, so every event is its own notification.
            HeraldConfig config = defaults.withSqs(sqsConfig)
                    .withMailprog(defaults.mailprog()
                            .withSpoolDir(shim.spool().toString())
                            .withSacct("", 1, Duration.ZERO)
                            .withReceivers("example.org", List.of()));
            try (SqsClient forwarderClient = SqsClients.create(sqsConfig, counted.sqsRequestCounter())) {
                SqsClient observer = local.client();
                QueueRef queue = local.provision(sqsConfig);
                ForwarderDaemon daemon = new ForwarderDaemon(
                                Mailprog.forwarder(
                                        config,
                                        new SqsSink(
                                                forwarderClient,
                                                sqsConfig,
                                                new SqsProducer(forwarderClient, new EnvelopeCodec())),
                                        Clock.systemUTC()),
                                shim.spool().resolve("new"),
                                config.mailprog().scanInterval(),
                                PassObserver.none())
                        .start();
                List<Point> capturedLine = new ArrayList<>();
                List<Point> spoolLine = new ArrayList<>();
                List<Point> sqsLine = new ArrayList<>();
                AtomicInteger exitedZero = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                Set<String> capturedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
                long start = System.nanoTime();
                double burstSeconds;
                double drainSeconds = Double.NaN;
                progress.printf(
                        "mailprog: burst of %d captures at %d concurrent, forwarder running%n",
                        invocations, SLURMCTLD_CONCURRENCY);
                try {
                    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                        try {
                            while (!Thread.currentThread().isInterrupted()) {
                                double t = (System.nanoTime() - start) / 1e9;
                                capturedLine.add(new Point(t, exitedZero.get()));
                                spoolLine.add(new Point(t, count(shim.spool().resolve("new"))));
                                sqsLine.add(new Point(t, local.messagesOn(queue.url())));
                                Thread.sleep(500);
                            }
                        } catch (InterruptedException | RuntimeException stop) {
                            // the burst is over
                        }
                    });
                    Semaphore slots = new Semaphore(SLURMCTLD_CONCURRENCY);
                    AtomicInteger done = new AtomicInteger();
                    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        for (int i = 0; i < invocations; i++) {
                            slots.acquire();
                            int n = i;
                            pool.submit(() -> {
                                try {
                                    String jobId = Integer.toString(5_000_000 + n);
                                    if (spawn(
                                                    shellCommand(shim, argsFor(template, jobId, n)),
                                                    envFor(template, jobId, n))
                                            == 0) {
                                        exitedZero.incrementAndGet();
                                        capturedIds.add(jobId);
                                    } else {
                                        failed.incrementAndGet();
                                    }
                                } catch (Exception e) {
                                    failed.incrementAndGet();
                                } finally {
                                    slots.release();
                                    int k = done.incrementAndGet();
                                    if (k % 2000 == 0) {
                                        progress.printf("mailprog: %d of %d captures done%n", k, invocations);
                                    }
                                }
                            });
                        }
                    }
                    burstSeconds = (System.nanoTime() - start) / 1e9;
                    long deadline = System.nanoTime() + DRAIN_DEADLINE.toNanos();
                    while (System.nanoTime() < deadline) {
                        if (local.messagesOn(queue.url()) + records(shim.spool().resolve("failed")) >= exitedZero.get()
                                && count(shim.spool().resolve("new")) == 0) {
                            drainSeconds = (System.nanoTime() - start) / 1e9 - burstSeconds;
                            break;
                        }
                        Thread.sleep(100);
                    }
                    sampler.interrupt();
                    sampler.join();
                } finally {
                    daemon.close();
                }
                progress.println("mailprog: checking every captured job on SQS");
                Set<String> onSqs = new HashSet<>();
                QueuePeek.envelopes(observer, queue.url()).stream()
                        .filter(e -> e.slurm() != null)
                        .forEach(e -> onSqs.add(e.slurm().jobId()));
                long deadLettered = records(shim.spool().resolve("failed"));
                Set<String> missing = new HashSet<>(capturedIds);
                missing.removeAll(onSqs);
                long lost = Math.max(0, missing.size() - deadLettered);
                if (failed.get() > 0) {
                    violations.add(failed.get() + " of " + invocations + " burst captures did not exit 0");
                }
                if (lost > 0) {
                    violations.add("lost " + lost + " of " + exitedZero.get()
                            + " captured job events (neither on SQS nor in failed/)");
                }
                if (Double.isNaN(drainSeconds)) {
                    violations.add("the forwarder had not drained the burst " + DRAIN_DEADLINE.toSeconds()
                            + " s after it ended");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("invocations", invocations);
                out.put("concurrency", SLURMCTLD_CONCURRENCY);
                out.put("exitedZero", exitedZero.get());
                out.put("onSqs", onSqs.size());
                out.put("deadLettered", deadLettered);
                out.put("lost", lost);
                out.put("burstSeconds", burstSeconds);
                out.put("drainSecondsAfterLastCapture", drainSeconds);
                Map<String, Double> requests = counted.sqsRequests();
                out.put("sqsRequests", requests);
                out.put(
                        "sqsRequestsPerRecord",
                        requests.values().stream()
                                        .mapToDouble(Double::doubleValue)
                                        .sum()
                                / Math.max(1, exitedZero.get()));
                out.put(
                        "timeline",
                        List.of(
                                new Series("captured (exit 0)", capturedLine),
                                new Series("waiting in spool new/", spoolLine),
                                new Series("messages on SQS", sqsLine)));
                return out;
            }
        }
    }

    /** The fixture's arguments and environment with this invocation's job id and user. */
    private static List<String> argsFor(Fixtures.Case template, String jobId, int n) {
        List<String> args = new ArrayList<>(template.args());
        args.set(1, args.get(1).replace("4242001", jobId));
        args.set(args.size() - 1, "mailto:user" + (n % 1000) + "@example.org");
        return args;
    }

    private static Map<String, String> envFor(Fixtures.Case template, String jobId, int n) {
        Map<String, String> env = new LinkedHashMap<>(template.env());
        env.put("SLURM_JOB_ID", jobId);
        env.put("SLURM_JOBID", jobId);
        env.put("SLURM_JOB_USER", "user" + (n % 1000));
        return env;
    }

    /** As slurmctld execs MailProg: this argv, exactly this environment, stdin /dev/null. */
    private static int spawn(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start().waitFor();
    }

    /** Spool records in failed/, without the .reason file beside each. */
    static long records(Path failed) {
        if (!Files.isDirectory(failed)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(failed)) {
            return files.filter(f -> !f.getFileName().toString().endsWith(".reason"))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    static long count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** dash running the installed script directly: what slurmctld's exec costs, without a launcher. */
    private static List<String> shellCommand(Shim shim, List<String> args) {
        List<String> command =
                new ArrayList<>(List.of(Shim.DASH.toString(), shim.script().toString()));
        command.addAll(args);
        return command;
    }

    private static List<String> jvmCommand(Path spool, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-cp",
                codeSourceOf(JvmCapture.class),
                JvmCapture.class.getName(),
                spool.toString()));
        command.addAll(args);
        return command;
    }

    private static String codeSourceOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> summary(List<PerfStat.Sample> samples) {
        List<Double> wall = samples.stream().map(PerfStat.Sample::wallMillis).toList();
        List<Double> cpu = samples.stream().map(PerfStat.Sample::cpuMillis).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", samples.size());
        out.put("wallP50Millis", Percentile.of(wall, 0.50));
        out.put("wallP99Millis", Percentile.of(wall, 0.99));
        out.put("cpuP50Millis", Percentile.of(cpu, 0.50));
        out.put("cpuP99Millis", Percentile.of(cpu, 0.99));
        return out;
    }

    private static Series sortedCurve(String name, List<PerfStat.Sample> samples) {
        List<Double> wall =
                samples.stream().map(PerfStat.Sample::wallMillis).sorted().toList();
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < wall.size(); i++) {
            points.add(new Point(100.0 * (i + 1) / wall.size(), wall.get(i)));
        }
        return new Series(name, points);
    }

    private static String fileSystemOf(Path dir) {
        try {
            return Files.getFileStore(dir).type();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
