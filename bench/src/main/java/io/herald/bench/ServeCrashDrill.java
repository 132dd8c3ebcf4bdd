package io.herald.bench;

import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code herald serve} killed with SIGKILL mid-load and started again on the same data directory: every notification
 * its API accepted (200 with a message id) must reach the provider (the SendGrid fake in this process), none may be
 * lost. Duplicates are expected (SQS delivers at least once): messages the killed process had handed to the provider
 * but whose deletion SQS had not stored yet are delivered again after the restart. Requests made while serve is down
 * fail at the client and are counted apart: they were never accepted. The load: a 2 s warm-up (delivered before the
 * clock starts), then up to the kill plus one second, then the rest of {@code --duration} against the restarted serve.
 */
public final class ServeCrashDrill implements Drill {

    private static final Duration VISIBILITY = Duration.ofSeconds(10);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(90);
    private static final int WARM_UP_SECONDS = 2;
    private static final Pattern MESSAGE_ID = Pattern.compile("\\{\"messageId\":\"([0-9a-f-]{36})\"}");

    @Override
    public String name() {
        return "serve-crash";
    }

    @Override
    public String description() {
        return "kill -9 `herald serve` (ElasticMQ on H2, DynamoDB Local on SQLite) mid-load, restart it on its data: "
                + "accepted, delivered, lost, duplicates; --rate 50 --duration 12 --kill-at 5 --latency-ms 500, ~100 s";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options =
                DrillOptions.parse(name(), context.args(), Set.of("--rate", "--duration", "--kill-at", "--latency-ms"));
        int rate = options.intOption("--rate", 50, 1);
        int duration = options.intOption("--duration", 12, 2);
        int killAt = options.intOption("--kill-at", 5, 1);
        int latencyMillis = options.intOption("--latency-ms", 500, 0);
        if (killAt >= duration) {
            throw new BadDrillArgumentException("serve-crash: --kill-at (" + killAt
                    + ") must be before the load ends (--duration " + duration + ")");
        }
        try (ScratchDir scratch = new ScratchDir("herald-serve-crash");
                EmailApiFake fake = new EmailApiFake(EmailApiFake.Api.SENDGRID, Duration.ofMillis(latencyMillis))) {
            Path data = scratch.path().resolve("data");
            Path log = context.resultsDir().resolve("serve-crash-serve.log");
            Files.createDirectories(context.resultsDir());
            Files.deleteIfExists(log);
            ServeProcess.Ports ports = ServeProcess.Ports.free();
            Map<String, String> env = environment(fake);
            ServeProcess first = ServeProcess.start(data, ports, env, log, START_LIMIT);
            context.progress().println("bench: serve-crash: serve " + first.pid() + " ready on " + first.api());

            Load load = new Load(first.api(), rate);
            // Warm-up: a fresh JVM on a shared machine answers slowly at first; the kill should land on a
            // serve that is accepting and delivering at the full rate.
            load.run(Duration.ofSeconds(WARM_UP_SECONDS));
            Await.until(
                    () -> new HashSet<>(fake.acceptedIds()).containsAll(load.accepted.keySet()),
                    Duration.ofSeconds(60),
                    "the warm-up deliveries");
            // Phase 1 posts a second past the kill, so requests are in flight when it lands.
            long t0 = System.nanoTime();
            Thread loader = Thread.ofVirtual().start(() -> load.run(Duration.ofSeconds(killAt + 1)));
            Thread.sleep(Duration.ofNanos(Math.max(0, t0 + killAt * 1_000_000_000L - System.nanoTime())));

            int exitStatus = first.kill();
            Set<String> acceptedBeforeKill = Set.copyOf(load.accepted.keySet());
            Set<String> deliveredBeforeKill = new HashSet<>(fake.acceptedIds());
            int atRisk = (int) acceptedBeforeKill.stream()
                    .filter(id -> !deliveredBeforeKill.contains(id))
                    .count();
            context.progress()
                    .printf(
                            Locale.ROOT,
                            "bench: serve-crash: killed (exit %d) with %d accepted, %d of them "
                                    + "not yet delivered; restarting%n",
                            exitStatus,
                            acceptedBeforeKill.size(),
                            atRisk);
            long restartNanos = System.nanoTime();
            ServeProcess second = ServeProcess.start(data, ports, env, log, START_LIMIT);
            double restartSeconds = (System.nanoTime() - restartNanos) / 1e9;
            context.progress()
                    .printf(
                            Locale.ROOT,
                            "bench: serve-crash: serve %d ready again after %.1f s%n",
                            second.pid(),
                            restartSeconds);

            loader.join();
            // Phase 2: the rest of the load goes to the restarted serve (same port).
            load.run(Duration.ofSeconds(duration - killAt));
            Set<String> accepted = Set.copyOf(load.accepted.keySet());
            context.progress().println("bench: serve-crash: load done, waiting for every accepted id to arrive");
            long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
            while (!new HashSet<>(fake.acceptedIds()).containsAll(accepted) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            double allDelivered = new HashSet<>(fake.acceptedIds()).containsAll(accepted)
                    ? (System.nanoTime() - restartNanos) / 1e9
                    : Double.NaN;
            int stillQueued = stillQueued(ports);
            second.close();
            Ledger ledger = Ledger.of(accepted, fake.acceptedIds(), stillQueued);

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("ratePerSecond", rate);
            figures.put("durationSeconds", duration);
            figures.put("killAtSeconds", killAt);
            figures.put("providerLatencyMillis", latencyMillis);
            figures.put("visibilityTimeoutSeconds", VISIBILITY.toSeconds());
            figures.put("attempted", load.attempted.get());
            figures.put("notAcceptedWhileDown", load.failed.get());
            figures.put("accepted", ledger.sent());
            figures.put("acceptedBeforeKill", acceptedBeforeKill.size());
            figures.put("undeliveredAtKill", atRisk);
            figures.put("restartSeconds", Math.round(restartSeconds * 10) / 10.0);
            figures.put("delivered", ledger.delivered());
            figures.put("stillQueued", ledger.stillQueued());
            figures.put("lost", ledger.lost());
            figures.put("duplicates", ledger.duplicates());
            figures.put(
                    "secondsFromRestartUntilAllDelivered",
                    Double.isNaN(allDelivered) ? "never" : Math.round(allDelivered * 10) / 10.0);
            figures.put("firstLoadError", load.firstError.get() == null ? "" : load.firstError.get());
            // Strangers are not a fault here: a request whose answer the kill (or the client's timeout) cut off
            // may still have been stored, and is then delivered, as SQS would. Only accepted ids are owed.
            figures.put("deliveredButNotAcknowledgedToTheClient", ledger.strangers());
            List<String> violations = new ArrayList<>();
            if (ledger.lost() > 0) {
                violations.add(
                        "lost " + ledger.lost() + " of " + ledger.sent() + " accepted messages: not delivered and "
                                + "not on any queue (e.g. " + String.join(", ", ledger.undeliveredSample()) + ")");
            }
            if (ledger.undelivered() > ledger.lost()) {
                violations.add(
                        (ledger.undelivered() - ledger.lost()) + " accepted messages still queued when the drill "
                                + "stopped waiting (not lost; serve was too slow on this machine for "
                                + "the drill's limit)");
            }
            if (atRisk == 0) {
                violations.add(
                        "the kill did not land mid-load (no accepted message was undelivered): nothing was tested");
            }
            figures.put(DrillResult.VIOLATIONS, violations);
            String table = String.format(
                    Locale.ROOT,
                    """
                    Serve crash: POST /email/send at %d/s for %d s to `herald serve` (data on disk), kill -9 at \
                    t=%d s, \
                    restarted on the same data directory and loaded again; SendGrid fake at %d ms, visibility \
                    timeout %d s
                    | accepted | undelivered at kill | failed at the client | of those stored and delivered | \
                    restart | delivered | still queued | lost | duplicates | all delivered after restart |
                    |---|---|---|---|---|---|---|---|---|---|
                    | %d | %d | %d | %d | %.1f s | %d | %d | %d | %d | %s |
                    """,
                    rate,
                    duration,
                    killAt,
                    latencyMillis,
                    VISIBILITY.toSeconds(),
                    ledger.sent(),
                    atRisk,
                    load.failed.get(),
                    ledger.strangers(),
                    restartSeconds,
                    ledger.delivered(),
                    ledger.stillQueued(),
                    ledger.lost(),
                    ledger.duplicates(),
                    Double.isNaN(allDelivered) ? "never" : String.format(Locale.ROOT, "%.1f s", allDelivered));
            return new DrillResult(figures, table, List.of());
        }
    }

    private static Map<String, String> environment(EmailApiFake fake) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HERALD_API_OPEN", "true");
        env.put("HERALD_PIPELINE_ADMIN_PORT", "-1");
        env.put("HERALD_PIPELINE_SEND_TIMEOUT", SEND_TIMEOUT.toSeconds() + "s");
        env.put("HERALD_SQS_VISIBILITY_TIMEOUT", VISIBILITY.toSeconds() + "s");
        env.put("HERALD_PROVIDERS_OUTBOX_ENABLED", "false");
        env.put("HERALD_PROVIDERS_SENDGRID_ENABLED", "true");
        env.put("HERALD_PROVIDERS_SENDGRID_BASE_URL", fake.baseUrl());
        env.put("HERALD_PROVIDERS_SENDGRID_API_KEY", "SG.bench-key");
        env.put("HERALD_PROVIDERS_SENDGRID_FROM", "herald@example.org");
        env.put("HERALD_PROVIDERS_SENDGRID_TIMEOUT", SEND_TIMEOUT.toSeconds() + "s");
        env.put("HERALD_PROVIDERS_SENDGRID_RATE_LIMIT", "10000");
        return env;
    }

    /** Messages on the work queues and their dead-letter queues of the restarted serve. */
    private static int stillQueued(ServeProcess.Ports ports) {
        HeraldConfig.Sqs config = HeraldConfig.defaults().sqs().withEndpoint("http://127.0.0.1:" + ports.sqs());
        try (SqsClient sqs = SqsClients.create(config)) {
            int count = 0;
            for (QueueRef queue : SqsQueues.resolve(sqs, config)) {
                count += LocalSqs.messagesOn(sqs, queue.url()) + LocalSqs.messagesOn(sqs, queue.deadLetterUrl());
            }
            return count;
        }
    }

    /** Emails posted at a steady rate, each on a virtual thread; an id counts once the API answered 200 with it. */
    private static final class Load {

        final Map<String, Boolean> accepted = new ConcurrentHashMap<>();
        final AtomicInteger attempted = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicReference<String> firstError = new AtomicReference<>();
        private final URI api;
        private final int rate;

        Load(URI api, int rate) {
            this.api = api;
            this.rate = rate;
        }

        void run(Duration duration) {
            long start = System.nanoTime();
            long total = rate * duration.toSeconds();
            List<Thread> requests = new ArrayList<>();
            try (HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build()) {
                for (int i = 0; i < total; i++) {
                    long due = start + i * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(Duration.ofNanos(wait));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    int n = i;
                    requests.add(Thread.ofVirtual().start(() -> post(http, n)));
                }
                for (Thread request : requests) {
                    try {
                        request.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        private void post(HttpClient http, int n) {
            attempted.incrementAndGet();
            String body = """
                    {"email":{"fromEmail":"bench@example.org","toEmail":"to%d@example.org","subject":"serve-crash %d",\
                    "body":"Body %d"}}""".formatted(n, n, n);
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(api.resolve("/email/send"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher id = MESSAGE_ID.matcher(response.body());
                if (response.statusCode() == 200 && id.matches()) {
                    accepted.put(id.group(1), Boolean.TRUE);
                } else {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, response.statusCode() + " " + response.body());
                }
            } catch (Exception e) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
