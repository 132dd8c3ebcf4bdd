package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.HeraldApi;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.feedback.DynamoFeedbackEventIds;
import io.herald.core.feedback.DynamoSoftBounces;
import io.herald.core.feedback.DynamoSuppressions;
import io.herald.core.feedback.FeedbackDailyCounts;
import io.herald.core.feedback.FeedbackMeters;
import io.herald.core.feedback.FeedbackRecorder;
import io.herald.core.feedback.Suppression;
import io.herald.core.feedback.Suppressions;
import io.herald.core.idempotency.DynamoIdempotencyStore;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusTable;
import io.herald.core.status.StatusUpdate;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.herald.pipeline.pacing.DeferralPacing;
import io.herald.pipeline.pacing.DomainPacer;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.FeedbackIntake;
import io.herald.pipeline.provider.Providers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Issue 18's drill: the delivery feedback loop end to end. Two waves of email to the same addresses go through the real
 * pipeline, with the real SendGrid and SES provider classes against fakes of their APIs ({@link EmailApiFake}); SES
 * answers 500 for a window of the first wave, so mail, and therefore its feedback, goes through both providers. The
 * drill plays the providers' part after they accepted a mail: for a recipient chosen (from a seed) to hard-bounce or to
 * complain, it reports that through the provider's real intake:
 *
 * <ul>
 *   <li>SES: an SES event record in an SNS envelope signed with an RSA key keytool made for this run, on the SQS
 *       feedback queue the real {@code SesFeedbackReader} long-polls (as {@code herald pipeline} opens it from its
 *       config); the signing certificate is served over TLS on 127.0.0.1, allowed by
 *       {@code providers.ses.feedback.certificateHosts} and trusted by the reader's HTTP client (see
 *       {@link #openIntakes});
 *   <li>SendGrid: a batch of Event Webhook events posted to {@code POST /v1/feedback/sendgrid} of an in-process API,
 *       ECDSA P-256 signed with a key made here whose public half is {@code eventWebhook.publicKey}.
 * </ul>
 *
 * Both intakes record through the real {@code FeedbackRecorder} into a status table in DynamoDB Local (the real status
 * store, suppression list and event-id de-duplication). The second wave starts only once every feedback event of the
 * first is recorded (each address on the list and each message {@code bounced} or {@code complained}), so the check has
 * no race: any second-wave request a fake receives for a suppressed address is a violation, and each such email must
 * end {@code suppressed}. Nothing runs on other than 127.0.0.1.
 */
public final class FeedbackDrill implements Drill {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:herald-ses-events";
    private static final String FEEDBACK_QUEUE = "fbdrill-ses-feedback";
    static final String CERT_PATH = "/SimpleNotificationService-fbdrill.pem";
    private static final String[] DOMAINS = {"example.org", "example.com", "example.net"};
    static final Duration POLL = Duration.ofMillis(50);
    private static final Duration WAVE_LIMIT = Duration.ofMinutes(5);
    private static final Duration FEEDBACK_LIMIT = Duration.ofMinutes(2);
    static final int WEBHOOK_TRIES = 5;
    private static final Set<String> FINAL = Set.of("delivered", "bounced", "complained", "suppressed");

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return "feedback";
    }

    @Override
    public String description() {
        return "sends in two waves to the same addresses through SendGrid and SES fakes (SES answers 500 from "
                + "--fail-at to --heal-at s of wave 1); hard bounces and complaints fed back through SES's signed "
                + "SNS->SQS intake and SendGrid's signed webhook into DynamoDB Local; no wave-2 send may reach a "
                + "suppressed address; --sends 10000 --bounce-pct 2 --complaint-pct 0.2 --rate 200 --fail-at 5 "
                + "--heal-at 12 --seed 18 (--sends is split in two equal waves), ~75 s";
    }

    /** What the drill's seed made of an address. */
    enum Fate {
        CLEAN,
        BOUNCE,
        COMPLAINT
    }

    /** The two intakes, by the provider that accepted the mail. */
    enum FeedbackRoute {
        SES,
        SENDGRID
    }

    /**
     * The recipients: {@code count} addresses over three domains, of which a seeded random choice hard-bounces and
     * another complains.
     */
    record Population(List<String> addresses, Map<String, Fate> fates) {

        static Population of(int count, double bouncePct, double complaintPct, long seed) {
            List<String> addresses = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                addresses.add(String.format(Locale.ROOT, "r%05d@%s", i, DOMAINS[i % DOMAINS.length]));
            }
            List<String> shuffled = new ArrayList<>(addresses);
            Collections.shuffle(shuffled, new Random(seed));
            int bounces = (int) Math.round(count * bouncePct / 100);
            int complaints = Math.min(count - bounces, (int) Math.round(count * complaintPct / 100));
            Map<String, Fate> fates = new HashMap<>();
            for (int i = 0; i < shuffled.size(); i++) {
                fates.put(
                        shuffled.get(i),
                        i < bounces ? Fate.BOUNCE : i < bounces + complaints ? Fate.COMPLAINT : Fate.CLEAN);
            }
            return new Population(List.copyOf(addresses), Map.copyOf(fates));
        }

        Fate fate(String address) {
            return fates.getOrDefault(address, Fate.CLEAN);
        }

        long count(Fate fate) {
            return fates.values().stream().filter(f -> f == fate).count();
        }
    }

    /** One enqueued email: its address and wave (1 or 2). */
    record FeedbackMail(String id, String address, int wave) {}

    /**
     * The state an email must end in: the first wave's to a bouncing or complaining address takes that feedback's
     * state; the second wave's to such an address is suppressed without a send; everything else stays delivered.
     */
    static String expectedState(Fate fate, int wave) {
        if (fate == Fate.CLEAN) {
            return "delivered";
        }
        if (wave > 1) {
            return "suppressed";
        }
        return fate == Fate.BOUNCE ? "bounced" : "complained";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options = DrillOptions.parse(
                name(),
                context.args(),
                Set.of("--sends", "--bounce-pct", "--complaint-pct", "--rate", "--fail-at", "--heal-at", "--seed"));
        int sends = options.intOption("--sends", 10_000, 20);
        double bouncePct = options.decimalOption("--bounce-pct", 2, 0, 100);
        double complaintPct = options.decimalOption("--complaint-pct", 0.2, 0, 100);
        int rate = options.intOption("--rate", 200, 10);
        int failAt = options.intOption("--fail-at", 5, 0);
        int healAt = options.intOption("--heal-at", 12, failAt + 1);
        int seed = options.intOption("--seed", 18, 0);
        int perWave = sends / 2;
        Population population = Population.of(perWave, bouncePct, complaintPct, seed);
        if (population.count(Fate.BOUNCE) + population.count(Fate.COMPLAINT) == 0) {
            throw new BadDrillArgumentException(name() + ": --sends " + sends + " with --bounce-pct " + bouncePct
                    + " and --complaint-pct " + complaintPct + " gives no bouncing or complaining address: "
                    + "nothing would be fed back; raise one of them");
        }
        long drillStart = System.nanoTime();

        try (ScratchDir scratch = new ScratchDir("herald-fbdrill-");
                SnsCertificateHost certificateHost = SnsCertificateHost.start(scratch.path());
                LocalSqs sqs = new LocalSqs();
                EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0);
                EmailApiFake sendgridFake = new EmailApiFake(EmailApiFake.Api.SENDGRID, Duration.ofMillis(20));
                EmailApiFake sesFake = new EmailApiFake(EmailApiFake.Api.SES, Duration.ofMillis(20));
                HttpClient webhookClient = HttpClient.newHttpClient()) {
            HeraldConfig defaults = HeraldConfig.defaults();
            HeraldConfig.Status statusConfig = new HeraldConfig.Status(
                    dynamoDb.endpoint().toString(),
                    defaults.status().region(),
                    "fbdrill-status",
                    defaults.status().ttl());
            KeyPair webhookKey = ecdsaKeyPair();
            HeraldConfig config = new ConfigLoader(Map.of())
                    .loadYaml(String.join(
                            "\n",
                            "api: {port: 0}",
                            // Only shortens the last long poll of the feedback reader at shutdown.
                            "pipeline: {receiveWait: 1s}",
                            "providers:",
                            "  sendgrid: {eventWebhook: {publicKey: \""
                                    + Base64.getEncoder()
                                            .encodeToString(
                                                    webhookKey.getPublic().getEncoded()) + "\"}}",
                            "  ses: {feedback: {queue: " + FEEDBACK_QUEUE + ", topicArn: \"" + TOPIC + "\","
                                    + " certificateHosts: '127\\.0\\.0\\.1'}}"));
            Clock clock = Clock.systemUTC();
            try (DynamoDbClient dynamo = DynamoDbClients.create(statusConfig)) {
                StatusTable.createIfMissing(dynamo, statusConfig.table());
                String table = statusConfig.table();
                DynamoStatusStore status = new DynamoStatusStore(dynamo, table, statusConfig.ttl(), clock);
                DynamoSuppressions suppressions = new DynamoSuppressions(dynamo, table);
                DynamoSoftBounces softBounces = new DynamoSoftBounces(dynamo, table, clock);
                FeedbackDailyCounts daily = new FeedbackDailyCounts(dynamo, table, clock);

                HeraldConfig.Sqs sqsConfig =
                        sqs.config("fbdrill", defaults.sqs().visibilityTimeout());
                QueueRef queue = sqs.provision(sqsConfig);
                String feedbackUrl = sqs.client()
                        .createQueue(b -> b.queueName(FEEDBACK_QUEUE))
                        .queueUrl();
                sqs.client().createQueue(b -> b.queueName(FEEDBACK_QUEUE + sqsConfig.deadLetterSuffix()));

                PipelineMetrics metrics = new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
                DomainPacer pacer = new DomainPacer(config.pacing(), clock);
                // The pipeline's side as `herald pipeline` wires it: the recorder behind the SES intake, deferrals to
                // the pacer.
                FeedbackRecorder pipelineRecorder = new FeedbackRecorder(
                        status,
                        suppressions,
                        softBounces,
                        config.suppression().softBounces(),
                        metrics.feedback(),
                        daily);
                List<FeedbackIntake> intakes = openIntakes(
                        config,
                        new FeedbackIntake.Context(
                                sqs.client(), config, new DeferralPacing(pipelineRecorder, pacer), metrics.registry()),
                        certificateHost.clientTrust());
                Duration timeout = Duration.ofSeconds(5);
                Pipeline pipeline = new Pipeline(
                        sqs.client(),
                        List.of(queue),
                        List.of(
                                new ConfiguredProvider(
                                        EmailApiFake.sendGridProvider(sendgridFake.baseUrl(), timeout, clock), 1),
                                new ConfiguredProvider(EmailApiFake.sesProvider(sesFake.baseUrl(), timeout, clock), 1)),
                        config.pipeline().withAdminPort(-1),
                        sqsConfig,
                        metrics,
                        status,
                        clock,
                        null,
                        "fbdrill",
                        config.control(),
                        suppressions,
                        pacer);
                // The API's side as `herald api` wires it: its own recorder on the API's meters, event ids
                // remembered in the table.
                HeraldApi api = HeraldApi.builder(
                                config.api(), new SqsProducer(sqs.client(), new EnvelopeCodec()), List.of(queue))
                        .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                        .statusStore(status)
                        .idempotencyStore(new DynamoIdempotencyStore(
                                dynamo, table, config.api().idempotencyWindow(), Duration.ofSeconds(60), clock))
                        .suppressions(suppressions)
                        .feedbackWebhooks(
                                config.providers().feedbackWebhooks(),
                                apiMeters -> new FeedbackRecorder(
                                        status,
                                        suppressions,
                                        softBounces,
                                        config.suppression().softBounces(),
                                        new FeedbackMeters(apiMeters),
                                        daily),
                                new DynamoFeedbackEventIds(
                                        dynamo, table, config.feedback().dedupWindow(), clock))
                        .build()
                        .start();
                FeedbackProviderRole role = new FeedbackProviderRole(
                        population,
                        sesFake,
                        sendgridFake,
                        new FeedbackProviderRole.SesFeedbackSender(sqs, feedbackUrl, certificateHost),
                        new FeedbackProviderRole.SendGridWebhookSender(
                                webhookClient,
                                URI.create("http://127.0.0.1:" + api.port() + "/v1/feedback/sendgrid"),
                                webhookKey),
                        suppressions);
                try {
                    pipeline.start();
                    intakes.forEach(FeedbackIntake::start);
                    role.start();
                    return drive(
                            context,
                            new FeedbackRun(
                                    population,
                                    sqs,
                                    queue,
                                    status,
                                    suppressions,
                                    sesFake,
                                    sendgridFake,
                                    role,
                                    certificateHost,
                                    drillStart),
                            new FeedbackPlan(sends, perWave, bouncePct, complaintPct, rate, failAt, healAt, seed));
                } finally {
                    role.close();
                    intakes.forEach(FeedbackIntake::close);
                    pipeline.close();
                    api.close();
                }
            }
        }
    }

    /** The drill's options. */
    record FeedbackPlan(
            int sends,
            int perWave,
            double bouncePct,
            double complaintPct,
            int rate,
            int failAt,
            int healAt,
            int seed) {}

    /** What a run works with once everything is started. */
    record FeedbackRun(
            Population population,
            LocalSqs sqs,
            QueueRef queue,
            DynamoStatusStore status,
            Suppressions suppressions,
            EmailApiFake sesFake,
            EmailApiFake sendgridFake,
            FeedbackProviderRole role,
            SnsCertificateHost certificateHost,
            long drillStart) {}

    private DrillResult drive(DrillContext context, FeedbackRun run, FeedbackPlan plan) throws Exception {
        Population population = run.population();
        long bouncing = population.count(Fate.BOUNCE);
        long complaining = population.count(Fate.COMPLAINT);
        context.progress()
                .printf(
                        Locale.ROOT,
                        "bench: feedback: %d sends in 2 waves to %d addresses (%d bounce, %d complain, seed %d), "
                                + "%d msg/s; SES answers 500 from %d s to %d s of wave 1%n",
                        2 * plan.perWave(),
                        plan.perWave(),
                        bouncing,
                        complaining,
                        plan.seed(),
                        plan.rate(),
                        plan.failAt(),
                        plan.healAt());
        Map<String, FeedbackMail> sent = run.role().sent();
        SqsProducer producer = new SqsProducer(run.sqs().client(), new EnvelopeCodec());
        AtomicInteger notEnqueued = new AtomicInteger();

        // Wave 1: every address once, SES failing for a window.
        long wave1Start = System.nanoTime();
        List<String> wave1 = enqueue(producer, run, 1, population.addresses(), plan, sent, notEnqueued, true);
        Await.until(() -> run.role().acceptedAll(wave1), WAVE_LIMIT, "every wave-1 email accepted by a fake");
        double wave1Delivered = seconds(wave1Start, System.nanoTime());
        context.progress().printf(Locale.ROOT, "bench: feedback: wave 1 delivered in %.1f s%n", wave1Delivered);

        // The barrier: every feedback event of wave 1 recorded (address listed, message in its feedback state).
        List<String> fedBackIds = wave1.stream()
                .filter(id -> population.fate(sent.get(id).address()) != Fate.CLEAN)
                .toList();
        long expectedFeedback = bouncing + complaining;
        Await.until(
                () -> run.role().suppressedCount() >= expectedFeedback,
                FEEDBACK_LIMIT,
                "all " + expectedFeedback + " fed-back addresses on the suppression list");
        Map<String, String> pending = new ConcurrentHashMap<>();
        fedBackIds.forEach(id ->
                pending.put(id, expectedState(population.fate(sent.get(id).address()), 1)));
        Await.until(
                () -> settledOrSent(run.status(), pending, id -> false),
                FEEDBACK_LIMIT,
                "every fed-back wave-1 email bounced or complained in the status table");
        int listed = run.suppressions().list(null, Integer.MAX_VALUE).size();
        long barrier = System.nanoTime();
        double feedbackSettled = seconds(wave1Start, barrier);
        context.progress()
                .printf(
                        Locale.ROOT,
                        "bench: feedback: all %d feedback events recorded %.1f s after wave 1 began; %d listed%n",
                        expectedFeedback,
                        feedbackSettled,
                        listed);

        // Wave 2: the same addresses again; those on the list must not be sent to.
        long wave2Start = System.nanoTime();
        List<String> wave2 = enqueue(producer, run, 2, population.addresses(), plan, sent, notEnqueued, false);
        List<String> wave2Clean = wave2.stream()
                .filter(id -> population.fate(sent.get(id).address()) == Fate.CLEAN)
                .toList();
        Map<String, String> wave2Listed = new ConcurrentHashMap<>();
        wave2.stream()
                .filter(id -> population.fate(sent.get(id).address()) != Fate.CLEAN)
                .forEach(id -> wave2Listed.put(id, "suppressed"));
        Await.until(
                () -> run.role().acceptedAll(wave2Clean)
                        && settledOrSent(run.status(), wave2Listed, run.role()::received),
                WAVE_LIMIT,
                "every wave-2 email delivered or suppressed");
        double wave2Done = seconds(wave2Start, System.nanoTime());
        context.progress().printf(Locale.ROOT, "bench: feedback: wave 2 done in %.1f s%n", wave2Done);

        // Every id in its expected final state (the pipeline's status writes are buffered: wait for them).
        Map<String, String> expected = new ConcurrentHashMap<>();
        sent.values().forEach(s -> expected.put(s.id(), expectedState(population.fate(s.address()), s.wave())));
        Map<String, String> unsettled = new ConcurrentHashMap<>(expected);
        long settleDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!settled(run.status(), unsettled).isEmpty() && System.nanoTime() < settleDeadline) {
            Thread.sleep(500);
        }
        Map<String, String> finalStates = states(run.status(), unsettled.keySet());
        double duration = seconds(run.drillStart(), System.nanoTime());

        return figures(
                context,
                run,
                plan,
                sent,
                notEnqueued.get(),
                wave1Start,
                barrier,
                wave1Delivered,
                feedbackSettled,
                wave2Done,
                listed,
                unsettled,
                finalStates,
                duration);
    }

    /**
     * Enqueues one email per address at the plan's rate, each recorded {@code queued} first as the API does; for wave
     * 1, SES answers 500 from {@code failAt} to {@code healAt} seconds after the wave began.
     */
    private static List<String> enqueue(
            SqsProducer producer,
            FeedbackRun run,
            int wave,
            List<String> addresses,
            FeedbackPlan plan,
            Map<String, FeedbackMail> sent,
            AtomicInteger notEnqueued,
            boolean failover)
            throws InterruptedException {
        List<String> ids = new ArrayList<>(addresses.size());
        long start = System.nanoTime();
        boolean failed = false;
        boolean healed = !failover;
        for (int n = 0; n < addresses.size(); n += SqsProducer.MAX_BATCH_ENTRIES) {
            long due = start + (long) (n * 1e9 / plan.rate());
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            double at = seconds(start, System.nanoTime());
            if (!failed && failover && at >= plan.failAt()) {
                run.sesFake().failing(true);
                failed = true;
            }
            if (failed && !healed && at >= plan.healAt()) {
                run.sesFake().failing(false);
                healed = true;
            }
            List<Envelope> batch = new ArrayList<>(SqsProducer.MAX_BATCH_ENTRIES);
            List<StatusUpdate> queued = new ArrayList<>(SqsProducer.MAX_BATCH_ENTRIES);
            Instant now = Instant.now();
            for (int i = n; i < Math.min(addresses.size(), n + SqsProducer.MAX_BATCH_ENTRIES); i++) {
                Envelope envelope = Envelope.create(
                        "email",
                        addresses.get(i),
                        Content.of("Job " + i + " ended (wave " + wave + ")", "Body " + i),
                        Origin.api("bench"),
                        now);
                batch.add(envelope);
                queued.add(new StatusUpdate(envelope.id(), new DeliveryState.Queued(), now));
                sent.put(envelope.id(), new FeedbackMail(envelope.id(), addresses.get(i), wave));
            }
            run.status().recordNew(queued);
            for (EnqueueResult result : producer.send(run.queue().url(), batch)) {
                switch (result) {
                    case EnqueueResult.Enqueued e -> ids.add(e.envelopeId());
                    case EnqueueResult.NotEnqueued e -> notEnqueued.incrementAndGet();
                }
            }
        }
        if (failover && !healed) {
            // The wave was enqueued before the window closed: keep SES down for the whole window anyway.
            long healWait = start + plan.healAt() * 1_000_000_000L - System.nanoTime();
            if (!failed) {
                long failWait = start + plan.failAt() * 1_000_000_000L - System.nanoTime();
                if (failWait > 0) {
                    Thread.sleep(Duration.ofNanos(failWait));
                }
                run.sesFake().failing(true);
                healWait = start + plan.healAt() * 1_000_000_000L - System.nanoTime();
            }
            if (healWait > 0) {
                Thread.sleep(Duration.ofNanos(healWait));
            }
            run.sesFake().failing(false);
        }
        return ids;
    }

    /** Removes from {@code pending} (id → expected state) each id the store shows in that state; returns it. */
    private static Map<String, String> settled(DynamoStatusStore status, Map<String, String> pending)
            throws InterruptedException {
        Map<String, String> states = states(status, pending.keySet());
        states.forEach((id, state) -> {
            if (state.equals(pending.get(id))) {
                pending.remove(id);
            }
        });
        return pending;
    }

    /** As {@link #settled}, but an id a fake received also leaves (it is a violation, counted at the end). */
    private static boolean settledOrSent(
            DynamoStatusStore status, Map<String, String> pending, java.util.function.Predicate<String> sentAnyway) {
        try {
            pending.keySet().removeIf(sentAnyway);
            settled(status, pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pending.isEmpty();
    }

    /** Each id's state name in the store ("missing" when it has none), read 16 at a time on virtual threads. */
    private static Map<String, String> states(DynamoStatusStore status, Set<String> ids) throws InterruptedException {
        Map<String, String> states = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(16);
        List<Thread> readers = new ArrayList<>();
        for (String id : List.copyOf(ids)) {
            slots.acquire();
            readers.add(Thread.ofVirtual().start(() -> {
                try {
                    states.put(id, status.find(id).map(u -> u.state().name()).orElse("missing"));
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread reader : readers) {
            reader.join();
        }
        return states;
    }

    private DrillResult figures(
            DrillContext context,
            FeedbackRun run,
            FeedbackPlan plan,
            Map<String, FeedbackMail> sent,
            int notEnqueued,
            long wave1Start,
            long barrier,
            double wave1Delivered,
            double feedbackSettled,
            double wave2Done,
            int listed,
            Map<String, String> unsettled,
            Map<String, String> finalStates,
            double duration)
            throws Exception {
        Population population = run.population();
        FeedbackProviderRole role = run.role();
        List<String> violations = new ArrayList<>();

        // A wave-2 request at a fake for a listed address: its suppression was recorded before the wave began.
        List<Map<String, Object>> reachedSuppressed = new ArrayList<>();
        for (EmailApiFake fake : List.of(run.sesFake(), run.sendgridFake())) {
            String provider = fake == run.sesFake() ? "ses" : "sendgrid";
            for (EmailApiFake.Received r : fake.received()) {
                FeedbackMail s = sent.get(r.heraldId());
                if (s != null && s.wave() == 2 && population.fate(s.address()) != Fate.CLEAN) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("id", s.id());
                    v.put("provider", provider);
                    v.put("status", r.status());
                    v.put("secondsAfterAllWave1FeedbackRecorded", round(seconds(barrier, r.nanos())));
                    reachedSuppressed.add(v);
                }
            }
        }
        if (!reachedSuppressed.isEmpty()) {
            violations.add(reachedSuppressed.size() + " wave-2 sends reached a provider for an address suppressed "
                    + "before the wave began: "
                    + reachedSuppressed.stream().limit(5).toList());
        }

        // Lost: never at a fake and not in a final state; wrong: final, but not the state its feedback called for.
        Map<String, Integer> lostOrWrong = new LinkedHashMap<>();
        List<String> lost = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        unsettled.forEach((id, want) -> {
            String got = finalStates.getOrDefault(id, "missing");
            boolean reached = role.received(id);
            if (!reached && !FINAL.contains(got)) {
                lost.add(id + " (" + got + ", expected " + want + ")");
            } else {
                wrong.add(id + " (" + got + ", expected " + want + ")");
            }
            lostOrWrong.merge(want + "->" + got, 1, Integer::sum);
        });
        if (notEnqueued > 0) {
            violations.add(notEnqueued + " emails were refused by SQS and never enqueued");
        }
        if (!lost.isEmpty()) {
            violations.add(lost.size() + " emails lost (never sent, no final state): "
                    + lost.stream().limit(5).toList());
        }
        if (!wrong.isEmpty()) {
            violations.add(wrong.size() + " emails ended in another state than their feedback called for: "
                    + wrong.stream().limit(5).toList());
        }

        // Feedback: fed back by the drill per intake and kind, recorded per source (suppression list) and per state.
        Map<FeedbackRoute, Map<Fate, Integer>> fedBack = role.fedBack();
        List<Suppression> entries = run.suppressions().list(null, Integer.MAX_VALUE);
        Map<String, Map<String, Integer>> recordedBySource = new LinkedHashMap<>();
        for (Suppression s : entries) {
            String kind = s.reason().startsWith("hard bounce")
                    ? "bounces"
                    : s.reason().startsWith("complaint") ? "complaints" : "other";
            recordedBySource
                    .computeIfAbsent(s.source(), k -> new LinkedHashMap<>())
                    .merge(kind, 1, Integer::sum);
        }
        long bouncing = population.count(Fate.BOUNCE);
        long complaining = population.count(Fate.COMPLAINT);
        int fedBounces = fedBack.values().stream()
                .mapToInt(m -> m.getOrDefault(Fate.BOUNCE, 0))
                .sum();
        int fedComplaints = fedBack.values().stream()
                .mapToInt(m -> m.getOrDefault(Fate.COMPLAINT, 0))
                .sum();
        int recordedBounces = recordedBySource.values().stream()
                .mapToInt(m -> m.getOrDefault("bounces", 0))
                .sum();
        int recordedComplaints = recordedBySource.values().stream()
                .mapToInt(m -> m.getOrDefault("complaints", 0))
                .sum();
        if (fedBounces != bouncing || fedComplaints != complaining) {
            violations.add("fed back " + fedBounces + " bounces and " + fedComplaints + " complaints for " + bouncing
                    + " bouncing and " + complaining + " complaining addresses");
        }
        if (recordedBounces != fedBounces || recordedComplaints != fedComplaints || entries.size() != listed) {
            violations.add("recorded " + recordedBounces + " bounces and " + recordedComplaints
                    + " complaints on the suppression list for " + fedBounces + " and " + fedComplaints
                    + " fed back");
        }
        for (FeedbackRoute intake : FeedbackRoute.values()) {
            String source = intake == FeedbackRoute.SES ? "ses" : "sendgrid";
            Map<String, Integer> recorded = recordedBySource.getOrDefault(source, Map.of());
            Map<Fate, Integer> fed = fedBack.getOrDefault(intake, Map.of());
            if (recorded.getOrDefault("bounces", 0).intValue()
                            != fed.getOrDefault(Fate.BOUNCE, 0).intValue()
                    || recorded.getOrDefault("complaints", 0).intValue()
                            != fed.getOrDefault(Fate.COMPLAINT, 0).intValue()) {
                violations.add(source + ": recorded " + recorded + " for fed back " + fed);
            }
        }
        List<String> exercised = fedBack.keySet().stream()
                .map(r -> r.name().toLowerCase(Locale.ROOT))
                .sorted()
                .toList();
        if (exercised.size() < 2) {
            // Which provider accepts a bouncing address's mail is the pipeline's routing: a small run can send all of
            // them one way. That leaves an intake untried, which is said plainly, but breaks no invariant of Herald's.
            context.progress()
                    .println("bench: feedback: NOTE: feedback came through " + exercised
                            + " only (a small run can route every bouncing address one way); try more --sends");
        }
        violations.addAll(role.errors());

        Map<String, Integer> stateCounts = new java.util.TreeMap<>();
        Map<String, String> everyState = states(run.status(), sent.keySet());
        everyState.values().forEach(s -> stateCounts.merge(s, 1, Integer::sum));
        int suppressedCount = stateCounts.getOrDefault("suppressed", 0);

        List<Double> sesLatency = role.latenciesMillis(FeedbackRoute.SES);
        List<Double> sendgridLatency = role.latenciesMillis(FeedbackRoute.SENDGRID);
        List<Double> allLatency = new ArrayList<>(sesLatency);
        allLatency.addAll(sendgridLatency);

        int deliveredBySes = run.sesFake().acceptedCount();
        int deliveredBySendGrid = run.sendgridFake().acceptedCount();
        long sesFailures =
                run.sesFake().received().stream().filter(r -> !r.accepted()).count();
        int distinctDelivered = role.acceptedDistinct();
        int duplicates = deliveredBySes + deliveredBySendGrid - distinctDelivered;
        int deadLettered = run.sqs().messagesOn(run.queue().deadLetterUrl());
        if (deadLettered > 0) {
            violations.add(deadLettered + " emails dead-lettered");
        }
        double active = wave1Delivered + wave2Done;

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sends", sent.size());
        figures.put("addresses", population.addresses().size());
        figures.put("waves", 2);
        figures.put("seed", plan.seed());
        figures.put("bouncePct", plan.bouncePct());
        figures.put("complaintPct", plan.complaintPct());
        figures.put("ratePerSecond", plan.rate());
        figures.put("sesFailsFromSecond", plan.failAt());
        figures.put("sesHealsAtSecond", plan.healAt());
        figures.put("providerLatencyMillis", 20);
        figures.put("notEnqueued", notEnqueued);
        figures.put("deliveredBySes", deliveredBySes);
        figures.put("deliveredBySendGrid", deliveredBySendGrid);
        figures.put("sesAnswered500", sesFailures);
        figures.put("duplicates", duplicates);
        figures.put("bouncingAddresses", bouncing);
        figures.put("complainingAddresses", complaining);
        figures.put(
                "fedBack",
                Map.of(
                        "ses",
                        fateCounts(fedBack.getOrDefault(FeedbackRoute.SES, Map.of())),
                        "sendgrid",
                        fateCounts(fedBack.getOrDefault(FeedbackRoute.SENDGRID, Map.of()))));
        figures.put("intakesExercised", exercised);
        figures.put("recordedOnSuppressionListBySource", recordedBySource);
        figures.put("suppressionListSizeBeforeWave2", listed);
        figures.put("finalStates", stateCounts);
        figures.put("suppressed", suppressedCount);
        figures.put("violations_sendsToSuppressed", reachedSuppressed.size());
        figures.put("lost", lost.size());
        figures.put("wrongFinalState", wrong.size());
        figures.put("unsettledByExpectedAndActual", lostOrWrong);
        figures.put("deadLettered", deadLettered);
        figures.put("snsCertificateFetches", run.certificateHost().fetches());
        figures.put("webhookCalls", role.webhookCalls());
        figures.put(
                "feedbackToSuppressionMillis",
                Map.of(
                        "all",
                        latency(allLatency),
                        "ses",
                        latency(sesLatency),
                        "sendgrid",
                        latency(sendgridLatency),
                        "resolution",
                        "the drill polls the list every " + POLL.toMillis() + " ms"));
        figures.put("wave1DeliveredSeconds", round(wave1Delivered));
        figures.put("wave1FeedbackAllRecordedSeconds", round(feedbackSettled));
        figures.put("wave2DoneSeconds", round(wave2Done));
        figures.put("durationSeconds", round(duration));
        figures.put("messagesPerSecond", round(sent.size() / active));
        figures.put("loadAverageAtEnd", loadAverage());
        figures.put(DrillResult.VIOLATIONS, violations);

        String table = String.format(
                Locale.ROOT,
                """
                Feedback: %d sends in 2 waves to %d addresses (seed %d: %d hard-bounce, %d complain) at %d msg/s; \
                SES fake answers 500 from %d s to %d s of wave 1; feedback through SES (SNS->SQS, signed) and \
                SendGrid (signed webhook) into DynamoDB Local; wave 2 starts once all wave-1 feedback is recorded
                | sends | delivered SES / SendGrid | bounces fed SES / SendGrid | complaints fed SES / SendGrid \
                | recorded bounces / complaints | suppressed | sends to suppressed | lost | wrong state \
                | feedback->suppression p50 / p99 ms | duration s | msg/s |
                |---|---|---|---|---|---|---|---|---|---|---|---|
                | %d | %d / %d | %d / %d | %d / %d | %d / %d | %d | %d | %d | %d | %s / %s | %.1f | %.1f |
                """,
                sent.size(),
                population.addresses().size(),
                plan.seed(),
                bouncing,
                complaining,
                plan.rate(),
                plan.failAt(),
                plan.healAt(),
                sent.size(),
                deliveredBySes,
                deliveredBySendGrid,
                fedBack.getOrDefault(FeedbackRoute.SES, Map.of()).getOrDefault(Fate.BOUNCE, 0),
                fedBack.getOrDefault(FeedbackRoute.SENDGRID, Map.of()).getOrDefault(Fate.BOUNCE, 0),
                fedBack.getOrDefault(FeedbackRoute.SES, Map.of()).getOrDefault(Fate.COMPLAINT, 0),
                fedBack.getOrDefault(FeedbackRoute.SENDGRID, Map.of()).getOrDefault(Fate.COMPLAINT, 0),
                recordedBounces,
                recordedComplaints,
                suppressedCount,
                reachedSuppressed.size(),
                lost.size(),
                wrong.size(),
                millisText(Percentile.of(allLatency, 0.5)),
                millisText(Percentile.of(allLatency, 0.99)),
                duration,
                sent.size() / active);
        Files.writeString(
                context.resultsDir().resolve("feedback.md"),
                "# bench feedback\n\n`"
                        + String.join(
                                " ",
                                Stream.concat(Stream.of("./herald bench feedback"), context.args().stream())
                                        .toList())
                        + "` on "
                        + Instant.now() + " (load average at the end " + loadAverage() + ")\n\n" + table + "\n"
                        + (violations.isEmpty()
                                ? "Every invariant held: no send reached a suppressed address, nothing lost.\n"
                                : "BROKEN:\n"
                                        + String.join(
                                                "\n",
                                                violations.stream()
                                                        .map(v -> "- " + v)
                                                        .toList()) + "\n"));

        Chart chart = new Chart(
                "deliveries",
                "Requests per second at each provider fake, and feedback events fed back",
                "seconds since wave 1 began",
                "per second",
                List.of(
                        new Series("SES fake, accepted", perSecond(run.sesFake().received(), wave1Start, true)),
                        new Series(
                                "SES fake, answered 500",
                                perSecond(run.sesFake().received(), wave1Start, false)),
                        new Series(
                                "SendGrid fake, accepted",
                                perSecond(run.sendgridFake().received(), wave1Start, true)),
                        new Series("feedback fed back", perSecondNanos(role.emittedNanos(), wave1Start))));
        return new DrillResult(figures, table, List.of(chart));
    }

    private static Map<String, Integer> fateCounts(Map<Fate, Integer> counts) {
        return Map.of(
                "bounces", counts.getOrDefault(Fate.BOUNCE, 0), "complaints", counts.getOrDefault(Fate.COMPLAINT, 0));
    }

    private static Map<String, Object> latency(List<Double> millis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", millis.size());
        m.put("p50", roundMillis(Percentile.of(millis, 0.5)));
        m.put("p99", roundMillis(Percentile.of(millis, 0.99)));
        m.put("max", roundMillis(Percentile.of(millis, 1.0)));
        return m;
    }

    private static List<Point> perSecond(List<EmailApiFake.Received> received, long t0, boolean accepted) {
        return perSecondNanos(
                received.stream()
                        .filter(r -> r.accepted() == accepted)
                        .map(EmailApiFake.Received::nanos)
                        .toList(),
                t0);
    }

    private static List<Point> perSecondNanos(List<Long> nanos, long t0) {
        Map<Integer, Integer> buckets = new java.util.TreeMap<>();
        int last = 0;
        for (long n : nanos) {
            int s = (int) Math.floor(seconds(t0, n));
            if (s >= 0) {
                buckets.merge(s, 1, Integer::sum);
                last = Math.max(last, s);
            }
        }
        List<Point> points = new ArrayList<>();
        for (int s = 0; s <= last; s++) {
            points.add(new Point(s, buckets.getOrDefault(s, 0)));
        }
        return points;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double seconds(long t0, long nanos) {
        return (nanos - t0) / 1e9;
    }

    private static Object round(double value) {
        return Double.isNaN(value) ? "none" : Math.round(value * 10) / 10.0;
    }

    private static Object roundMillis(double value) {
        return Double.isNaN(value) ? "none" : Math.round(value * 10) / 10.0;
    }

    private static String millisText(double value) {
        return Double.isNaN(value) ? "none" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static KeyPair ecdsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /**
     * The intakes {@code herald pipeline} opens from the config ({@code Providers.feedbackIntakes}). The SES reader's
     * HTTP client takes the JVM's default TLS context when it is built, so for that moment the default is one that
     * trusts the drill's certificate host; it is put back right after, before anything else runs.
     */
    private static List<FeedbackIntake> openIntakes(
            HeraldConfig config, FeedbackIntake.Context context, SSLContext trust) throws Exception {
        SSLContext before = SSLContext.getDefault();
        SSLContext.setDefault(trust);
        try {
            return Providers.feedbackIntakes(config, context);
        } finally {
            SSLContext.setDefault(before);
        }
    }
}
