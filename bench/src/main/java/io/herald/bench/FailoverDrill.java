package io.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.sendgrid.SendGridProvider;
import io.herald.pipeline.provider.ses.SesProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drill 2: two email providers, the real SendGrid (A) and SES (B) provider classes against in-process fakes of their
 * HTTP APIs, Herald's default health settings. Under a steady load A answers 500 from {@code --fail-at} until
 * {@code --heal-at}; the drill samples both breakers, counts what each fake accepted per second, and checks every
 * enqueued id was delivered.
 */
public final class FailoverDrill implements Drill {

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
    private static final int WARM_UP = 40;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return "failover";
    }

    @Override
    public String description() {
        return "SendGrid (A) and SES (B) fakes, A answers 500 from t=10 s to t=40 s under steady load: "
                + "shift, probes, return, lost/duplicates; --rate 100 --fail-at 10 --heal-at 40 --duration 55, ~65 s";
    }

    /** A breaker state seen at a moment; {@code seconds} since the load started. */
    private record Sample(double seconds, String a, String b, String aLastError) {}

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options =
                DrillOptions.parse(name(), context.args(), Set.of("--rate", "--fail-at", "--heal-at", "--duration"));
        int rate = options.intOption("--rate", 100, 10);
        int failAt = options.intOption("--fail-at", 10, 0);
        int healAt = options.intOption("--heal-at", 40, failAt + 1);
        int duration = options.intOption("--duration", 55, healAt + 1);

        HeraldConfig.PipelineSettings config = HeraldConfig.defaults()
                .pipeline()
                .withAdminPort(-1)
                // Only shortens the last long poll at shutdown; under load every receive returns at once.
                .withReceiveWait(Duration.ofSeconds(1));
        try (LocalSqs sqs = new LocalSqs();
                EmailApiFake a = new EmailApiFake(EmailApiFake.Api.SENDGRID, Duration.ofMillis(20));
                EmailApiFake b = new EmailApiFake(EmailApiFake.Api.SES, Duration.ofMillis(20))) {
            HeraldConfig.Sqs sqsConfig =
                    sqs.config("failover", HeraldConfig.defaults().sqs().visibilityTimeout());
            QueueRef queue = sqs.provision(sqsConfig);
            Clock clock = Clock.systemUTC();
            Duration timeout = Duration.ofSeconds(5);
            SendGridProvider sendgrid = EmailApiFake.sendGridProvider(a.baseUrl(), timeout, clock);
            SesProvider ses = EmailApiFake.sesProvider(b.baseUrl(), timeout, clock);
            Pipeline pipeline = new Pipeline(
                    sqs.client(),
                    List.of(queue),
                    List.of(new ConfiguredProvider(sendgrid, 1), new ConfiguredProvider(ses, 1)),
                    config,
                    sqsConfig,
                    new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
                    null,
                    clock);
            pipeline.start();

            SteadyLoad load = new SteadyLoad(sqs.client(), queue.url(), "failover", rate);
            long warmUpStart = System.nanoTime();
            load.warmUp(WARM_UP);
            Await.until(
                    () -> a.acceptedIds().size() + b.acceptedIds().size() >= WARM_UP,
                    Duration.ofSeconds(60),
                    "the warm-up deliveries");
            context.progress()
                    .printf(
                            Locale.ROOT,
                            "bench: failover: warm-up: %d messages delivered in %.1f s%n",
                            WARM_UP,
                            (System.nanoTime() - warmUpStart) / 1e9);
            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            long t0 = System.nanoTime();
            load.start(Duration.ofSeconds(duration));
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (sampling.get()) {
                    JsonNode workers = workers(pipeline);
                    JsonNode sendgridStatus = worker(workers, "sendgrid");
                    samples.add(new Sample(
                            seconds(t0, System.nanoTime()),
                            sendgridStatus.path("state").asText(),
                            worker(workers, "ses").path("state").asText(),
                            sendgridStatus.path("lastError").asText("")));
                    try {
                        Thread.sleep(SAMPLE_EVERY);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            context.progress()
                    .printf(
                            Locale.ROOT,
                            "bench: failover: %d msg/s for %d s; A fails at %d s, heals at %d s%n",
                            rate,
                            duration,
                            failAt,
                            healAt);
            sleepUntil(t0, failAt);
            a.failing(true);
            context.progress().println("bench: failover: A (sendgrid) answers 500 now");
            sleepUntil(t0, healAt);
            a.failing(false);
            context.progress().println("bench: failover: A (sendgrid) healed");
            load.join();
            context.progress().println("bench: failover: load done, waiting for the queue to drain");
            long drainDeadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
            while (sqs.messagesOn(queue.url()) > 0 && System.nanoTime() < drainDeadline) {
                Thread.sleep(200);
            }
            sampling.set(false);
            sampler.join();
            long probesCounted =
                    worker(workers(pipeline), "sendgrid").path("probes").asLong();
            pipeline.close();

            Set<String> sent = load.sent();
            List<EmailApiFake.Received> atA = a.received();
            List<EmailApiFake.Received> atB = b.received();
            List<String> accepted = new ArrayList<>(a.acceptedIds());
            accepted.addAll(b.acceptedIds());
            int deadLettered = sqs.messagesOn(queue.deadLetterUrl());
            int leftOnQueue = sqs.messagesOn(queue.url());
            Ledger ledger = Ledger.of(sent, accepted, leftOnQueue + deadLettered);

            List<Sample> timeline = List.copyOf(samples);
            double unhealthyAt = firstAfter(timeline, failAt, s -> !"healthy".equals(s.a()));
            double healthyAgainAt = Double.isNaN(unhealthyAt)
                    ? Double.NaN
                    : firstAfter(timeline, Math.max(healAt, unhealthyAt), s -> "healthy".equals(s.a()));
            double until = Double.isNaN(healthyAgainAt) ? Double.MAX_VALUE : healthyAgainAt;
            long probes = Double.isNaN(unhealthyAt)
                    ? 0
                    : atA.stream()
                            .filter(r -> seconds(t0, r.nanos()) >= unhealthyAt && seconds(t0, r.nanos()) < until)
                            .count();
            long failedBeforeShift = atA.stream()
                    .filter(r -> !r.accepted() && (Double.isNaN(unhealthyAt) || seconds(t0, r.nanos()) < unhealthyAt))
                    .count();
            int seconds = (int)
                    Math.ceil(timeline.isEmpty() ? duration : timeline.getLast().seconds());
            double[] perSecondA = perSecond(atA, t0, seconds, true);
            double[] perSecondB = perSecond(atB, t0, seconds, true);
            double[] failuresA = perSecond(atA, t0, seconds, false);
            double carriesAgainAt = Double.NaN;
            for (int s = healAt; s < seconds; s++) {
                if (perSecondA[s] > 0 && perSecondA[s] >= 0.25 * (perSecondA[s] + perSecondB[s])) {
                    carriesAgainAt = s + 1;
                    break;
                }
            }

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("ratePerSecond", rate);
            figures.put("failAtSeconds", failAt);
            figures.put("healAtSeconds", healAt);
            figures.put("durationSeconds", duration);
            figures.put("providerLatencyMillis", 20);
            figures.put(
                    "health",
                    Map.of(
                            "unhealthyThreshold",
                            config.unhealthyThreshold(),
                            "healthyThreshold",
                            config.healthyThreshold(),
                            "openWaitSeconds",
                            config.openWait().toSeconds()));
            figures.put("sent", ledger.sent());
            figures.put("notEnqueued", load.notEnqueued());
            figures.put("delivered", ledger.delivered());
            figures.put("stillQueued", ledger.stillQueued());
            figures.put("lost", ledger.lost());
            figures.put("duplicates", ledger.duplicates());
            figures.put("deadLettered", deadLettered);
            figures.put("leftOnQueue", leftOnQueue);
            figures.put("deliveredByA", a.acceptedIds().size());
            figures.put("deliveredByB", b.acceptedIds().size());
            figures.put("failuresAtABeforeShift", failedBeforeShift);
            figures.put("secondsUntilTrafficShifted", round(unhealthyAt - failAt));
            // Why the pipeline marked A unhealthy, in its own words: 500s, or timeouts if the machine stalled.
            figures.put(
                    "aLastErrorWhenMarkedUnhealthy",
                    timeline.stream()
                            .filter(s -> s.seconds() >= unhealthyAt)
                            .map(Sample::aLastError)
                            .findFirst()
                            .orElse(""));
            // The fake's count includes sends already under way when the breaker opened.
            figures.put("requestsToAWhileUnhealthy", probes);
            figures.put("probesCountedByPipeline", probesCounted);
            figures.put("secondsUntilAHealthyAgain", round(healthyAgainAt - healAt));
            figures.put("secondsUntilACarriedAQuarterAgain", round(carriesAgainAt - healAt));
            List<String> violations = new ArrayList<>(ledger.violations());
            if (deadLettered > 0) {
                violations.add(
                        deadLettered + " messages dead-lettered although both providers only failed temporarily");
            }
            if (Double.isNaN(unhealthyAt)) {
                violations.add("traffic never shifted away from A while it answered 500");
            }
            figures.put(DrillResult.VIOLATIONS, violations);

            String table = String.format(
                    Locale.ROOT,
                    """
                    Failover: %d msg/s for %d s; A (SendGrid API fake) answers 500 from t=%d s to t=%d s; B (SES \
                    API fake); \
                    health defaults (%d bad in a row, %d good probes, %d s rest)
                    | sent | delivered | still queued | lost | duplicates | dead-lettered | traffic shifted after | \
                    requests to A while unhealthy (probes) | A healthy again after | A carried >= 1/4 again after |
                    |------|-----------|--------------|------|------------|---------------|-----------------------\
                    |----------------------------------------|-----------------------|------------------------------|
                    | %d | %d | %d | %d | %d | %d | %s | %d (%d) | %s | %s |
                    """,
                    rate,
                    duration,
                    failAt,
                    healAt,
                    config.unhealthyThreshold(),
                    config.healthyThreshold(),
                    config.openWait().toSeconds(),
                    ledger.sent(),
                    ledger.delivered(),
                    ledger.stillQueued(),
                    ledger.lost(),
                    ledger.duplicates(),
                    deadLettered,
                    secondsText(unhealthyAt - failAt),
                    probes,
                    probesCounted,
                    secondsText(healthyAgainAt - healAt),
                    secondsText(carriesAgainAt - healAt));

            Chart deliveries = new Chart(
                    "deliveries",
                    "Deliveries per second by provider (A fails " + failAt + "–" + healAt + " s)",
                    "seconds since the load started",
                    "messages per second",
                    List.of(
                            new Series("A: SendGrid fake, accepted", points(perSecondA)),
                            new Series("B: SES fake, accepted", points(perSecondB)),
                            new Series("A: answered 500", points(failuresA))));
            Chart breakers = new Chart(
                    "breakers",
                    "Breaker state over time (0 healthy, 1 probing, 2 unhealthy)",
                    "seconds since the load started",
                    "breaker state",
                    List.of(
                            new Series(
                                    "A: SendGrid",
                                    timeline.stream()
                                            .map(s -> new Point(s.seconds(), stateLevel(s.a())))
                                            .toList()),
                            new Series(
                                    "B: SES",
                                    timeline.stream()
                                            .map(s -> new Point(s.seconds(), stateLevel(s.b())))
                                            .toList())));
            return new DrillResult(figures, table, List.of(deliveries, breakers));
        }
    }

    /** The email pool's workers as {@code GET /status} on the admin port shows them. */
    private JsonNode workers(Pipeline pipeline) {
        return json.valueToTree(pipeline.status()).path("pools").path("email");
    }

    private static JsonNode worker(JsonNode workers, String name) {
        for (JsonNode w : workers) {
            if (name.equals(w.path("name").asText())) {
                return w;
            }
        }
        return MissingNode.getInstance();
    }

    private static double seconds(long t0, long nanos) {
        return (nanos - t0) / 1e9;
    }

    private static void sleepUntil(long t0, int second) throws InterruptedException {
        long wait = t0 + second * 1_000_000_000L - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    private static double firstAfter(
            List<Sample> timeline, double from, java.util.function.Predicate<Sample> condition) {
        return timeline.stream()
                .filter(s -> s.seconds() >= from && condition.test(s))
                .mapToDouble(Sample::seconds)
                .findFirst()
                .orElse(Double.NaN);
    }

    private static double[] perSecond(List<EmailApiFake.Received> received, long t0, int seconds, boolean accepted) {
        double[] buckets = new double[seconds + 1];
        for (EmailApiFake.Received r : received) {
            int s = (int) Math.floor(seconds(t0, r.nanos()));
            if (r.accepted() == accepted && s >= 0 && s <= seconds) {
                buckets[s]++;
            }
        }
        return buckets;
    }

    private static List<Point> points(double[] perSecond) {
        List<Point> points = new ArrayList<>();
        for (int s = 0; s < perSecond.length; s++) {
            points.add(new Point(s, perSecond[s]));
        }
        return points;
    }

    private static double stateLevel(String state) {
        return switch (state == null ? "" : state) {
            case "healthy" -> 0;
            case "probing" -> 1;
            default -> 2;
        };
    }

    private static Object round(double seconds) {
        return Double.isNaN(seconds) ? "never" : Math.round(seconds * 10) / 10.0;
    }

    private static String secondsText(double seconds) {
        return Double.isNaN(seconds) ? "never" : String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
