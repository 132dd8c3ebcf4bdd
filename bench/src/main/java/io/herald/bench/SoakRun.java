package io.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusTable;
import io.herald.core.status.StatusUpdate;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One soak: the packaged {@code bin/herald api} and {@code bin/herald pipeline}, each its own process, ElasticMQ and
 * DynamoDB Local standalone in JVMs of their own, the real SES and SendGrid clients against {@link EmailApiFake}s;
 * producers post {@code POST /v1/notifications} with many receivers each; one provider answers 500 for a while in the
 * middle; memory of both Herald processes is sampled throughout. Everything the drill checks is counted by id at the
 * fakes.
 */
final class SoakRun {

    /** What one soak is asked to do. */
    /** @param stopAfter producers take no new work after this long (null: never); what was sent is checked */
    record Settings(
            int notifications,
            int receiversPerRequest,
            int producers,
            Duration failFor,
            int backlog,
            Duration sampleEvery,
            int statusSample,
            Path image,
            Duration stopAfter) {}

    private static final String QUEUE = "herald-soak";
    /** The longest the deliveries may stand still at the end before the drill stops waiting and counts. */
    private static final Duration STALL_LIMIT = Duration.ofMinutes(5);

    private final Settings settings;
    private final Path scratch;
    private final PrintStream progress;
    private final ObjectMapper json = new ObjectMapper();
    private final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong refusedRequests = new AtomicLong();
    private final AtomicLong retriedRequests = new AtomicLong();
    private final List<SoakFigures.Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = new ArrayList<>();

    private final Path samplesFile;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile long stopAt = Long.MAX_VALUE;

    SoakRun(Settings settings, Path scratch, Path samplesFile, PrintStream progress) {
        this.settings = settings;
        this.scratch = scratch;
        this.samplesFile = samplesFile;
        this.progress = progress;
    }

    /** The run's figures, samples and verdicts. */
    record SoakReport(Map<String, Object> figures, List<SoakFigures.Sample> samples, List<String> violations) {}

    SoakReport run() throws Exception {
        long runStart = System.nanoTime();
        if (settings.stopAfter() != null) {
            stopAt = runStart + settings.stopAfter().toNanos();
        }
        Files.writeString(samplesFile, SoakFigures.CSV_HEADER + "\n");
        Path launcher = settings.image().resolve("bin/herald");
        progress(
                "image %s; %,d notifications, %d receivers per request, %d producers, provider failing for %d s",
                settings.image(),
                settings.notifications(),
                settings.receiversPerRequest(),
                settings.producers(),
                settings.failFor().toSeconds());
        progress("starting ElasticMQ and DynamoDB Local, each in a JVM of its own");
        HeraldConfig defaults = HeraldConfig.defaults();
        String table = defaults.status().table();
        try (StoreServer sqsServer = StoreServer.start("sqs", List.of("-Xmx1g", "-XX:+UseParallelGC"));
                StoreServer dynamoServer = StoreServer.start("dynamodb", List.of("-Xmx1g", "-XX:+UseParallelGC"));
                EmailApiFake ses = new EmailApiFake(EmailApiFake.Api.SES, Duration.ZERO);
                EmailApiFake sendGrid = new EmailApiFake(EmailApiFake.Api.SENDGRID, Duration.ZERO);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()) {
            String sqsEndpoint = sqsServer.direct().toString();
            String dynamoEndpoint = dynamoServer.direct().toString();
            HeraldConfig.Status status = new HeraldConfig.Status(
                    dynamoEndpoint,
                    defaults.status().region(),
                    table,
                    defaults.status().ttl());
            HeraldConfig.Sqs sqsConfig = ApiDrill.sqsConfig(sqsEndpoint, defaults.sqs(), List.of(QUEUE));
            try (SqsClient sqs = SqsClients.create(sqsConfig);
                    DynamoDbClient dynamo = DynamoDbClients.create(status)) {
                StatusTable.createIfMissing(dynamo, table);
                QueueRef queue = SqsQueues.provision(sqs, sqsConfig).getFirst();
                int apiPort = ShippedApiProcess.freePort();
                Path apiConfig = scratch.resolve("api.yaml");
                Files.writeString(apiConfig, ApiDrill.config(sqsEndpoint, List.of(QUEUE), dynamoEndpoint, apiPort));
                int adminPort = ShippedApiProcess.freePort();
                progress("starting bin/herald api and bin/herald pipeline");
                try (ShippedApiProcess api = ShippedApiProcess.start(
                                settings.image(),
                                apiConfig,
                                apiPort,
                                scratch.resolve("api.log"),
                                null,
                                Duration.ofSeconds(120));
                        PipelineProcess pipeline = PipelineProcess.start(
                                launcher,
                                scratch,
                                "pipeline",
                                new PipelineProcess.Endpoints(
                                        URI.create(sqsEndpoint),
                                        QUEUE,
                                        URI.create(dynamoEndpoint),
                                        table,
                                        ses.baseUrl(),
                                        sendGrid.baseUrl()),
                                adminPort,
                                null,
                                null)) {
                    pipeline.awaitReady(adminPort, Duration.ofSeconds(120));
                    Monitor monitor = new Monitor(http, api, pipeline, adminPort, ses, sendGrid, runStart);
                    Map<String, Object> figures = soak(http, api, pipeline, monitor, ses, sendGrid, runStart);
                    figures.put(
                            "statusSample",
                            statusSample(dynamo, table, defaults.status().ttl()));
                    figures.put("messagesLeftOnQueue", LocalSqs.messagesOn(sqs, queue.url()));
                    String dlq = sqs.getQueueUrl(
                                    b -> b.queueName(QUEUE + defaults.sqs().deadLetterSuffix()))
                            .queueUrl();
                    int dead = LocalSqs.messagesOn(sqs, dlq);
                    figures.put("messagesOnDeadLetterQueue", dead);
                    if (dead > 0) {
                        violations.add(dead + " messages were dead-lettered");
                    }
                    figures.put("pipelineLogWarnings", warnings(scratch.resolve("pipeline.log")));
                    figures.put("stoppedEarly", stopped.get());
                    figures.put(
                            "stopAfterMinutes",
                            settings.stopAfter() == null
                                    ? null
                                    : settings.stopAfter().toMinutes());
                    figures.put("pipelineCpuSeconds", pipeline.cpuSeconds());
                    figures.put("apiCpuSeconds", api.cpuSeconds());
                    figures.put("elasticMqCpuSeconds", sqsServer.cpuSeconds());
                    figures.put("dynamoDbLocalCpuSeconds", dynamoServer.cpuSeconds());
                    figures.put("loadAverageAtEnd", loadAverage());
                    figures.put("seconds", (System.nanoTime() - runStart) / 1e9);
                    return new SoakReport(figures, List.copyOf(samples), List.copyOf(violations));
                }
            }
        }
    }

    private Map<String, Object> soak(
            HttpClient http,
            ShippedApiProcess api,
            PipelineProcess pipeline,
            Monitor monitor,
            EmailApiFake ses,
            EmailApiFake sendGrid,
            long runStart)
            throws Exception {
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicLong nextReceiver = new AtomicLong();
        long[] failure = {0, 0};
        String failedProvider;
        List<Future<Object>> producers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                Future<Object> sampler = threads.submit(() -> {
                    monitor.loop(producing);
                    return null;
                });
                for (int p = 0; p < settings.producers(); p++) {
                    producers.add(threads.submit(() -> {
                        produce(http, api.url(), nextReceiver, monitor);
                        return null;
                    }));
                }
                // The failure starts when half the notifications are accepted, on the provider that carried more.
                long halfTime = settings.stopAfter() == null
                        ? Long.MAX_VALUE
                        : runStart + settings.stopAfter().toNanos() / 2;
                awaitAccepted(settings.notifications() / 2L, halfTime, producers, pipeline);
                EmailApiFake failing = ses.acceptedCount() >= sendGrid.acceptedCount() ? ses : sendGrid;
                failedProvider = failing == ses ? "ses" : "sendgrid";
                progress(
                        "%,d accepted: %s answers 500 for %d s from now",
                        acceptedIds.size(), failedProvider, settings.failFor().toSeconds());
                failure[0] = System.nanoTime();
                failing.failing(true);
                try {
                    Thread.sleep(settings.failFor());
                } finally {
                    failing.failing(false);
                    failure[1] = System.nanoTime();
                }
                progress(
                        "%s healthy again; %,d accepted, %,d delivered",
                        failedProvider, acceptedIds.size(), monitor.delivered());
                for (Future<Object> producer : producers) {
                    try {
                        producer.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException(
                                "a producer failed: " + e.getCause().getMessage(), e.getCause());
                    }
                }
                long producedAt = System.nanoTime();
                progress(
                        "all %,d notifications accepted by the API in %.0f s (%,d requests retried after 429/503); "
                                + "waiting for the deliveries",
                        acceptedIds.size(), (producedAt - runStart) / 1e9, retriedRequests.get());
                awaitDelivered(pipeline, monitor);
                producing.set(false);
                sampler.get();
            } finally {
                // On the way out for any reason: nothing may keep the executor from closing.
                stopAt = 0;
                producing.set(false);
            }
        }
        Set<String> delivered = new HashSet<>();
        List<EmailApiFake.Received> all = new ArrayList<>(ses.received());
        all.addAll(sendGrid.received());
        long failedAnswers = 0;
        for (EmailApiFake.Received r : all) {
            if (r.accepted()) {
                delivered.add(r.heraldId());
            } else {
                failedAnswers++;
            }
        }
        long lost = 0;
        List<String> lostExamples = new ArrayList<>();
        for (String id : acceptedIds) {
            if (!delivered.contains(id)) {
                lost++;
                if (lostExamples.size() < 5) {
                    lostExamples.add(id);
                }
            }
        }
        HeraldConfig defaults = HeraldConfig.defaults();
        SoakFigures.Window window = SoakFigures.Window.around(
                failure[0],
                failure[1],
                defaults.pipeline().sendTimeout().toNanos(),
                defaults.sqs().visibilityTimeout().toNanos());
        SoakFigures.Duplicates duplicates =
                SoakFigures.duplicates(all, window, defaults.pipeline().maxInFlight());
        if (lost > 0) {
            violations.add(String.format(
                    Locale.ROOT,
                    "%,d of %,d accepted notifications never reached a fake " + "(e.g. %s)",
                    lost,
                    acceptedIds.size(),
                    lostExamples));
        }
        if (!duplicates.withinBound()) {
            violations.add(String.format(
                    Locale.ROOT,
                    "%d duplicates outside the failure window (e.g. %s), %d inside " + "(bound %d)",
                    duplicates.outsideWindow(),
                    whenAndWhere(duplicates.examplesOutside(), ses, sendGrid, runStart),
                    duplicates.insideWindow(),
                    duplicates.bound()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("notificationsAccepted", acceptedIds.size());
        out.put("requestsRetriedAfter429or503", retriedRequests.get());
        out.put("requestsRefused", refusedRequests.get());
        out.put("deliveredDistinct", delivered.size());
        out.put("deliveriesAtSes", ses.acceptedCount());
        out.put("deliveriesAtSendGrid", sendGrid.acceptedCount());
        out.put("answered500", failedAnswers);
        out.put("lost", lost);
        out.put("failedProvider", failedProvider);
        out.put("failureStartSeconds", (failure[0] - runStart) / 1e9);
        out.put("failureEndSeconds", (failure[1] - runStart) / 1e9);
        out.put(
                "duplicateWindowSeconds",
                List.of((window.fromNanos() - runStart) / 1e9, (window.toNanos() - runStart) / 1e9));
        out.put("duplicates", duplicates.total());
        out.put("duplicatesInsideWindow", duplicates.insideWindow());
        out.put("duplicatesOutsideWindow", duplicates.outsideWindow());
        out.put("duplicateBound", duplicates.bound());
        return out;
    }

    /**
     * One producer: takes the next block of receiver numbers, posts them as one request, keeps the ids the API answered
     * with. While more than the backlog bound is accepted and not yet delivered it waits, so the queue (ElasticMQ keeps
     * it in memory) stays bounded and the soak is a steady state, not a growing pile.
     */
    private void produce(HttpClient http, URI api, AtomicLong nextReceiver, Monitor monitor) throws Exception {
        URI endpoint = api.resolve("/v1/notifications");
        while (true) {
            long first = nextReceiver.getAndAdd(settings.receiversPerRequest());
            if (first >= settings.notifications()) {
                return;
            }
            if (System.nanoTime() > stopAt) {
                if (!stopped.getAndSet(true)) {
                    progress(
                            "--stop-after %d min reached: no new notifications; checking the %,d accepted",
                            settings.stopAfter().toMinutes(), acceptedIds.size());
                }
                return;
            }
            long end = Math.min(settings.notifications(), first + settings.receiversPerRequest());
            while (acceptedIds.size() - monitor.delivered() > settings.backlog() && System.nanoTime() < stopAt) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            StringBuilder to = new StringBuilder();
            for (long n = first; n < end; n++) {
                to.append(n == first ? "" : ",")
                        .append("mailto:soak-")
                        .append(n)
                        .append("@example.org");
            }
            String body = json.writeValueAsString(Map.of(
                    "to",
                    to.toString(),
                    "from",
                    "herald@example.org",
                    "title",
                    "Soak " + first,
                    "text",
                    "Sent by ./herald bench soak"));
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            for (int attempt = 1; ; attempt++) {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 202) {
                    JsonNode reply = json.readTree(answer.body());
                    for (JsonNode n : reply.path("notifications")) {
                        acceptedIds.add(n.path("id").asText());
                    }
                    if (reply.path("notifications").size() != end - first) {
                        refusedRequests.incrementAndGet();
                        throw new IllegalStateException("the API accepted "
                                + reply.path("notifications").size() + " of " + (end - first) + " receivers: "
                                + answer.body());
                    }
                    break;
                }
                if ((answer.statusCode() == 429 || answer.statusCode() == 503) && attempt < 20) {
                    // Nothing was queued (the API says so for both): the same request again after a pause.
                    retriedRequests.incrementAndGet();
                    LockSupport.parkNanos(Duration.ofMillis(100L * attempt).toNanos());
                    continue;
                }
                refusedRequests.incrementAndGet();
                throw new IllegalStateException("the API answered " + answer.statusCode() + ": " + answer.body());
            }
        }
    }

    /** Each id with every request the fakes saw for it: which fake, when (s since the start), what it answered. */
    private static List<String> whenAndWhere(List<String> ids, EmailApiFake ses, EmailApiFake sendGrid, long runStart) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            StringBuilder line = new StringBuilder(id).append(':');
            for (EmailApiFake fake : List.of(ses, sendGrid)) {
                for (EmailApiFake.Received r : fake.received()) {
                    if (r.heraldId().equals(id)) {
                        line.append(String.format(
                                Locale.ROOT,
                                " %s %.1f s %d",
                                fake == ses ? "ses" : "sendgrid",
                                (r.nanos() - runStart) / 1e9,
                                r.status()));
                    }
                }
            }
            out.add(line.toString());
        }
        return out;
    }

    /** Until {@code count} are accepted, or the clock reaches {@code notAfter}, or the producers are done. */
    private void awaitAccepted(long count, long notAfter, List<Future<Object>> producers, PipelineProcess pipeline)
            throws InterruptedException {
        while (acceptedIds.size() < count && System.nanoTime() < notAfter) {
            if (producers.stream().allMatch(Future::isDone)) {
                return;
            }
            if (!pipeline.alive()) {
                throw new IllegalStateException("the pipeline stopped: " + pipeline.tail());
            }
            Thread.sleep(100);
        }
    }

    /** Until every accepted id was delivered, or nothing moved for {@link #STALL_LIMIT}. */
    private void awaitDelivered(PipelineProcess pipeline, Monitor monitor) throws InterruptedException {
        long last = -1;
        long lastMoved = System.nanoTime();
        while (!monitor.distinctAtLeast(acceptedIds.size())) {
            long now = monitor.delivered();
            if (now != last) {
                last = now;
                lastMoved = System.nanoTime();
            } else if (System.nanoTime() - lastMoved > STALL_LIMIT.toNanos()) {
                progress(
                        "deliveries stood still at %,d for %d min: counting what arrived",
                        now, STALL_LIMIT.toMinutes());
                return;
            }
            if (!pipeline.alive()) {
                throw new IllegalStateException("the pipeline stopped: " + pipeline.tail());
            }
            // Not often: once the count is near, each check copies every id the fakes saw.
            Thread.sleep(2000);
        }
    }

    /**
     * A random sample of the accepted ids, read back from the status table: each should say delivered (final). The
     * pipeline writes statuses in batches after the send, so a sample taken at once may find a few not yet written; it
     * is read again for up to a minute.
     */
    private Map<String, Object> statusSample(DynamoDbClient dynamo, String table, Duration ttl)
            throws InterruptedException {
        List<String> ids = new ArrayList<>(acceptedIds);
        Collections.shuffle(ids, new Random(13));
        List<String> sample = ids.subList(0, Math.min(settings.statusSample(), ids.size()));
        DynamoStatusStore store = new DynamoStatusStore(dynamo, table, ttl, Clock.systemUTC());
        Map<String, Integer> states = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<String> pending = sample;
        while (true) {
            states.clear();
            List<String> notFinal = new ArrayList<>();
            for (String id : sample) {
                Optional<StatusUpdate> found = store.find(id);
                String state = found.map(u -> u.state().name()).orElse("missing");
                states.merge(state, 1, Integer::sum);
                if (found.isEmpty() || !found.get().state().isFinal()) {
                    notFinal.add(id);
                }
            }
            pending = notFinal;
            if (pending.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        long delivered = states.getOrDefault("delivered", 0);
        if (delivered != sample.size()) {
            violations.add(String.format(
                    Locale.ROOT,
                    "of %d sampled ids, %d say delivered in the status table: %s",
                    sample.size(),
                    delivered,
                    states));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sampled", sample.size());
        out.put("states", states);
        return out;
    }

    /** Samples memory of both processes and prints a progress line now and then. */
    private final class Monitor {

        private final HttpClient http;
        private final ShippedApiProcess api;
        private final PipelineProcess pipeline;
        private final URI pipelineMetrics;
        private final EmailApiFake ses;
        private final EmailApiFake sendGrid;
        private final long runStart;

        Monitor(
                HttpClient http,
                ShippedApiProcess api,
                PipelineProcess pipeline,
                int adminPort,
                EmailApiFake ses,
                EmailApiFake sendGrid,
                long runStart) {
            this.http = http;
            this.api = api;
            this.pipeline = pipeline;
            this.pipelineMetrics = URI.create("http://127.0.0.1:" + adminPort + "/metrics");
            this.ses = ses;
            this.sendGrid = sendGrid;
            this.runStart = runStart;
        }

        /** Deliveries accepted at the fakes, repeats included: cheap to ask often. */
        long delivered() {
            return (long) ses.acceptedCount() + sendGrid.acceptedCount();
        }

        /** Whether the distinct ids delivered reach {@code count}; counts repeats only once it might. */
        boolean distinctAtLeast(long count) {
            if (delivered() < count) {
                return false;
            }
            Set<String> ids = new HashSet<>(ses.acceptedIds());
            ids.addAll(sendGrid.acceptedIds());
            return ids.size() >= count;
        }

        void loop(AtomicBoolean running) throws InterruptedException {
            long lastPrint = 0;
            long lastDelivered = 0;
            double lastSeconds = 0;
            while (running.get()) {
                SoakFigures.Sample s = sample();
                samples.add(s);
                try {
                    Files.writeString(samplesFile, SoakFigures.csvLine(s), java.nio.file.StandardOpenOption.APPEND);
                } catch (IOException e) {
                    progress("cannot append to %s: %s", samplesFile, e.getMessage());
                }
                if (s.seconds() - lastPrint >= 30 || lastPrint == 0) {
                    double rate = s.seconds() > lastSeconds
                            ? (s.delivered() - lastDelivered) / (s.seconds() - lastSeconds)
                            : 0;
                    progress(
                            "%5.0f s: %,d accepted, %,d delivered (%.0f/s); RSS api %.0f / pipeline %.0f MiB, heap "
                                    + "in use %.0f / %.0f MiB; load %.2f",
                            s.seconds(),
                            s.accepted(),
                            s.delivered(),
                            rate,
                            s.apiRssMiB(),
                            s.pipelineRssMiB(),
                            s.apiHeapMiB(),
                            s.pipelineHeapMiB(),
                            s.loadAverage());
                    lastPrint = (long) s.seconds();
                    lastDelivered = s.delivered();
                    lastSeconds = s.seconds();
                }
                long until = System.nanoTime() + settings.sampleEvery().toNanos();
                while (running.get() && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
            }
        }

        private SoakFigures.Sample sample() {
            return new SoakFigures.Sample(
                    (System.nanoTime() - runStart) / 1e9,
                    acceptedIds.size(),
                    delivered(),
                    rss(api.pid()),
                    heap(api.url().resolve("/metrics")),
                    rss(pipeline.pid()),
                    heap(pipelineMetrics),
                    loadAverageValue());
        }

        private double heap(URI metrics) {
            try {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(metrics)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return answer.statusCode() == 200 ? SoakFigures.heapMiB(answer.body()) : Double.NaN;
            } catch (IOException e) {
                return Double.NaN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }
    }

    /**
     * The pipeline's WARN and ERROR lines, counted by their text with numbers and ids blurred, the five most frequent:
     * what explains a duplicate or a slow stretch (send timeouts, released messages).
     */
    private static Map<String, Long> warnings(Path log) {
        Map<String, Long> counts = new java.util.HashMap<>();
        try (java.util.stream.Stream<String> lines = Files.lines(log)) {
            lines.filter(l -> l.contains("WARN") || l.contains("ERROR"))
                    .map(l -> l.replaceAll("^\\S+\\s+\\S*\\s*", "")
                            .replaceAll("[0-9a-f-]{36}", "ID")
                            .replaceAll("\\d+", "N"))
                    .map(l -> l.length() > 200 ? l.substring(0, 200) : l)
                    .forEach(l -> counts.merge(l, 1L, Long::sum));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Map.of("(the pipeline's log could not be read: " + e.getMessage() + ")", 0L);
        }
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    private static double rss(long pid) {
        try {
            return SoakFigures.rssMiB(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double loadAverageValue() {
        String load = loadAverage();
        try {
            return Double.parseDouble(load.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private void progress(String format, Object... args) {
        progress.printf(Locale.ROOT, "bench: soak: " + format + "%n", args);
    }
}
