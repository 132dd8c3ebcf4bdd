package io.herald.bench;

import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Drill 3: the pipeline in a child JVM ({@link CrashChild}) delivering a steady load through the real SendGrid provider
 * to a fake of its API in this process; at {@code --kill-at} it is killed with SIGKILL (kill -9), restarted at once,
 * and every enqueued id is checked at the fake. Duplicates can only be messages the killed process had received and not
 * yet deleted, so the drill reads that count from SQS right after the kill and reports it as the bound.
 */
public final class CrashDrill implements Drill {

    private static final Duration VISIBILITY = Duration.ofSeconds(10);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(45);
    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final int WARM_UP = 20;

    @Override
    public String name() {
        return "crash";
    }

    @Override
    public String description() {
        return "kill -9 the pipeline (a child JVM) mid-load, restart it: delivered, lost, duplicates vs in flight; "
                + "--rate 100 --duration 15 --kill-at 6 --latency-ms 50, ~50 s";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options =
                DrillOptions.parse(name(), context.args(), Set.of("--rate", "--duration", "--kill-at", "--latency-ms"));
        int rate = options.intOption("--rate", 100, 10);
        int duration = options.intOption("--duration", 15, 2);
        int killAt = options.intOption("--kill-at", 6, 1);
        int latencyMillis = options.intOption("--latency-ms", 50, 0);
        if (killAt >= duration) {
            throw new BadDrillArgumentException(
                    "crash: --kill-at (" + killAt + ") must be before the load ends (--duration " + duration + ")");
        }
        List<ChildJvm> children = new ArrayList<>();
        try (LocalSqs sqs = new LocalSqs();
                EmailApiFake fake = new EmailApiFake(EmailApiFake.Api.SENDGRID, Duration.ofMillis(latencyMillis))) {
            HeraldConfig.Sqs sqsConfig = sqs.config("crash", VISIBILITY);
            QueueRef queue = sqs.provision(sqsConfig);
            ChildJvm first = startChild(sqs, queue, fake, children, context);
            SteadyLoad load = new SteadyLoad(sqs.client(), queue.url(), "crash", rate);
            load.warmUp(WARM_UP);
            Await.until(() -> fake.acceptedIds().size() >= WARM_UP, Duration.ofSeconds(60), "the warm-up deliveries");
            long t0 = System.nanoTime();
            load.start(Duration.ofSeconds(duration));
            context.progress()
                    .printf(Locale.ROOT, "bench: crash: %d msg/s for %d s, kill -9 at %d s%n", rate, duration, killAt);
            Thread.sleep(Duration.ofNanos(Math.max(0, t0 + killAt * 1_000_000_000L - System.nanoTime())));

            int exitStatus = first.kill();
            int inFlightAtKill = sqs.inFlightOn(queue.url());
            int acceptedBeforeKill = fake.acceptedIds().size();
            context.progress()
                    .printf(
                            Locale.ROOT,
                            "bench: crash: killed (exit %d) with %d delivered, %d in flight; restarting%n",
                            exitStatus,
                            acceptedBeforeKill,
                            inFlightAtKill);
            long restartNanos = System.nanoTime();
            ChildJvm second = startChild(sqs, queue, fake, children, context);
            double restartSeconds = (System.nanoTime() - restartNanos) / 1e9;

            load.join();
            context.progress().println("bench: crash: load done, waiting for every id to arrive");
            Set<String> sent = load.sent();
            long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
            while ((undelivered(sent, fake) > 0 || sqs.messagesOn(queue.url()) > 0) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            double allDeliveredAfterRestart =
                    undelivered(sent, fake) == 0 ? (System.nanoTime() - restartNanos) / 1e9 : Double.NaN;
            second.close();
            int deadLettered = sqs.messagesOn(queue.deadLetterUrl());
            Ledger ledger = Ledger.of(sent, fake.acceptedIds(), sqs.messagesOn(queue.url()) + deadLettered);

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("ratePerSecond", rate);
            figures.put("durationSeconds", duration);
            figures.put("killAtSeconds", killAt);
            figures.put("providerLatencyMillis", latencyMillis);
            figures.put("visibilityTimeoutSeconds", VISIBILITY.toSeconds());
            figures.put(
                    "maxInFlightConfigured",
                    CrashChild.pipelineConfig(SEND_TIMEOUT).maxInFlight());
            figures.put("sent", ledger.sent());
            figures.put("notEnqueued", load.notEnqueued());
            figures.put("deliveredBeforeKill", acceptedBeforeKill);
            figures.put("inFlightAtKill", inFlightAtKill);
            figures.put("restartSeconds", Math.round(restartSeconds * 10) / 10.0);
            figures.put("delivered", ledger.delivered());
            figures.put("stillQueued", ledger.stillQueued());
            figures.put("lost", ledger.lost());
            figures.put("duplicates", ledger.duplicates());
            figures.put("duplicateBound", inFlightAtKill);
            figures.put("deadLettered", deadLettered);
            figures.put(
                    "secondsFromRestartUntilAllDelivered",
                    Double.isNaN(allDeliveredAfterRestart)
                            ? "never"
                            : Math.round(allDeliveredAfterRestart * 10) / 10.0);
            List<String> violations = new ArrayList<>(ledger.violations());
            if (ledger.duplicates() > inFlightAtKill) {
                violations.add(ledger.duplicates() + " duplicates, more than the " + inFlightAtKill
                        + " messages in flight at the kill");
            }
            if (deadLettered > 0) {
                violations.add(deadLettered + " messages dead-lettered by a crash");
            }
            if (acceptedBeforeKill == 0 || inFlightAtKill == 0) {
                violations.add("the kill did not land mid-load (" + acceptedBeforeKill + " delivered, " + inFlightAtKill
                        + " in flight): nothing was tested");
            }
            figures.put(DrillResult.VIOLATIONS, violations);

            String table = String.format(
                    Locale.ROOT,
                    """
                    Crash: %d msg/s for %d s through the SendGrid provider (fake at %d ms) in a child JVM, kill -9 \
                    at t=%d s, \
                    restarted at once (visibility timeout %d s)
                    | sent | delivered before kill | in flight at kill (duplicate bound) | delivered | still queued \
                    | lost | duplicates | all delivered after restart |
                    |------|-----------------------|-------------------------------------|-----------\
                    |--------------|------|------------|-----------------------------|
                    | %d | %d | %d | %d | %d | %d | %d | %s |
                    """,
                    rate,
                    duration,
                    latencyMillis,
                    killAt,
                    VISIBILITY.toSeconds(),
                    ledger.sent(),
                    acceptedBeforeKill,
                    inFlightAtKill,
                    ledger.delivered(),
                    ledger.stillQueued(),
                    ledger.lost(),
                    ledger.duplicates(),
                    Double.isNaN(allDeliveredAfterRestart)
                            ? "never"
                            : String.format(Locale.ROOT, "%.1f s", allDeliveredAfterRestart));
            return new DrillResult(
                    figures,
                    table,
                    List.of(timeline(fake, sent.size(), t0, killAt, (restartNanos - t0) / 1e9 + restartSeconds)));
        } finally {
            for (ChildJvm child : children) {
                if (child.alive()) {
                    child.kill();
                }
            }
        }
    }

    /** Deliveries accepted by the fake so far, against time, with the kill and the restart marked. */
    private static Chart timeline(EmailApiFake fake, int sent, long t0, double killAt, double readyAt) {
        List<Point> delivered = new ArrayList<>();
        int count = 0;
        for (EmailApiFake.Received r : fake.received().stream()
                .filter(EmailApiFake.Received::accepted)
                .sorted(java.util.Comparator.comparingLong(EmailApiFake.Received::nanos))
                .toList()) {
            count++;
            double at = (r.nanos() - t0) / 1e9;
            if (count % 10 == 0 || count == sent) {
                delivered.add(new Point(at, count));
            }
        }
        return new Chart(
                "timeline",
                "Deliveries with kill -9 at " + (int) killAt + " s and a restart",
                "seconds since the load started",
                "messages delivered (repeats included)",
                List.of(
                        new Series("delivered", delivered),
                        new Series("kill -9", List.of(new Point(killAt, 0), new Point(killAt, sent))),
                        new Series(
                                "restarted pipeline ready", List.of(new Point(readyAt, 0), new Point(readyAt, sent)))));
    }

    private static int undelivered(Set<String> sent, EmailApiFake fake) {
        return Ledger.of(sent, fake.acceptedIds(), 0).undelivered();
    }

    private static ChildJvm startChild(
            LocalSqs sqs, QueueRef queue, EmailApiFake fake, List<ChildJvm> children, DrillContext context)
            throws IOException, InterruptedException {
        ChildJvm child = ChildJvm.start(
                CrashChild.class,
                List.of("-Xmx256m"),
                List.of(
                        sqs.endpoint(),
                        queue.name(),
                        Long.toString(VISIBILITY.toSeconds()),
                        Long.toString(SEND_TIMEOUT.toSeconds()),
                        fake.baseUrl()),
                START_LIMIT);
        children.add(child);
        context.progress().println("bench: crash: pipeline child " + child.pid() + " ready");
        return child;
    }
}
