package io.herald.bench;

import io.javalin.Javalin;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.embedded.EmbeddedSqs;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The pipeline against its floor, side by side in one run on one ElasticMQ: a plain client
 * draining the queue (ReceiveMessage 10 + DeleteMessageBatch 10 from several threads), then the
 * pipeline with an in-process no-op provider (its own cost), then the pipeline sending over HTTP
 * to a fake answering after 100 ms. Each is repeated and the median reported, as ratios to the
 * floor measured in the same run. Then the pipeline idles and its receives are counted.
 */
public final class PipelineBench {

    private static final int FLOOR_THREADS = 8;

    private int messages;
    private final int repeats;
    private final Duration idleWindow;
    private final int latencyRate;
    private final Duration latencyWindow;
    private final PrintStream progress;
    /**
     * Pipelines finished with are closed here, off the measured path: a close waits for the last
     * long poll (up to the 20 s receive wait), which would otherwise dominate the bench's run time.
     */
    private final ExecutorService closing = Executors.newVirtualThreadPerTaskExecutor();
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private EmbeddedSqs embedded;
    private SqsClient sqs;
    /** The producer's side of the cost, SendMessageBatch, counted on a client of its own. */
    private final PipelineMetrics loading = new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    private SqsClient loader;
    private long loaded;
    private int queueCounter;

    PipelineBench(int messages, int repeats, Duration idleWindow, int latencyRate, Duration latencyWindow,
                  PrintStream progress) {
        this.messages = messages;
        this.repeats = repeats;
        this.idleWindow = idleWindow;
        this.latencyRate = latencyRate;
        this.latencyWindow = latencyWindow;
        this.progress = progress;
    }

    /** One measured run: messages delivered per second, SQS requests per message by action, peak heap. */
    record Run(double messagesPerSecond, Map<String, Double> requestsPerMessage, double peakHeapMiB) {
        double totalRequestsPerMessage() {
            return requestsPerMessage.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    Map<String, Object> run() throws Exception {
        embedded = EmbeddedSqs.start(0);
        sqs = SqsClients.create(sqsConfig("unused"));
        loader = SqsClients.create(sqsConfig("unused"), loading.sqsRequestCounter());
        Javalin fake = slowFake(Duration.ofMillis(100));
        Javalin fake500 = slowFake(Duration.ofMillis(500));
        try {
            List<Run> floor = new ArrayList<>();
            List<Run> noop = new ArrayList<>();
            List<Run> http100 = new ArrayList<>();
            List<Run> http500 = new ArrayList<>();
            progress("warm-up round (not measured): every run once with %d messages", Math.max(100, messages / 5));
            warmUp(fake, fake500);
            for (int i = 1; i <= repeats; i++) {
                progress("repeat %d/%d: drain floor", i, repeats);
                floor.add(drainFloor());
                progress("repeat %d/%d: pipeline, no-op provider", i, repeats);
                noop.add(pipelineRun(new NoopProvider(), 1));
                progress("repeat %d/%d: pipeline, HTTP fake at 100 ms", i, repeats);
                http100.add(pipelineRun(new HttpFakeProvider(URI.create("http://127.0.0.1:" + fake.port() + "/send")), 1));
                progress("repeat %d/%d: pipeline, HTTP fake at 500 ms", i, repeats);
                http500.add(pipelineRun(new HttpFakeProvider(URI.create("http://127.0.0.1:" + fake500.port() + "/send")), 1));
            }
            Map<String, Object> latency = new LinkedHashMap<>();
            progress("latency: %d msg/s for %d s per provider latency", latencyRate, latencyWindow.toSeconds());
            latency.put("noop", latencyRun(new NoopProvider()));
            latency.put("http100", latencyRun(new HttpFakeProvider(URI.create("http://127.0.0.1:" + fake.port() + "/send"))));
            latency.put("http500", latencyRun(new HttpFakeProvider(URI.create("http://127.0.0.1:" + fake500.port() + "/send"))));
            progress("idle: counting receives for %d s", idleWindow.toSeconds());
            double idleReceivesPerMinute = idle();

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("messagesPerRun", messages);
            out.put("repeats", repeats);
            out.put("floorMessagesPerSecond", median(floor.stream().map(Run::messagesPerSecond).toList()));
            out.put("noopMessagesPerSecond", median(noop.stream().map(Run::messagesPerSecond).toList()));
            out.put("http100MessagesPerSecond", median(http100.stream().map(Run::messagesPerSecond).toList()));
            out.put("noopRatioToFloor", median(ratios(noop, floor)));
            out.put("http100RatioToFloor", median(ratios(http100, floor)));
            out.put("floorRequestsPerMessage", median(floor.stream().map(Run::totalRequestsPerMessage).toList()));
            out.put("noopRequestsPerMessage", median(noop.stream().map(Run::totalRequestsPerMessage).toList()));
            out.put("http100RequestsPerMessage", median(http100.stream().map(Run::totalRequestsPerMessage).toList()));
            out.put("noopRequestsPerMessageByAction", noop.get(repeats / 2).requestsPerMessage());
            out.put("http500MessagesPerSecond", median(http500.stream().map(Run::messagesPerSecond).toList()));
            out.put("http500RatioToFloor", median(ratios(http500, floor)));
            out.put("http500RequestsPerMessage", median(http500.stream().map(Run::totalRequestsPerMessage).toList()));
            out.put("requestsPerMessageByAction", Map.of("floor", medianByAction(floor), "noop", medianByAction(noop),
                    "http100", medianByAction(http100), "http500", medianByAction(http500)));
            out.put("peakHeapMiB", Map.of("floor", median(floor.stream().map(Run::peakHeapMiB).toList()),
                    "noop", median(noop.stream().map(Run::peakHeapMiB).toList()),
                    "http100", median(http100.stream().map(Run::peakHeapMiB).toList()),
                    "http500", median(http500.stream().map(Run::peakHeapMiB).toList())));
            Map<String, Double> producer = new java.util.TreeMap<>();
            loading.sqsRequests().forEach((action, count) -> producer.put(action, count / loaded));
            out.put("peakHeapNote", "peak heap used during the run, starting from a collected heap; the bench JVM's, so ElasticMQ and the fakes are in it");
            out.put("producerRequestsPerMessageByAction", producer);
            out.put("latency", latency);
            out.put("idleReceivesPerQueuePerMinute", idleReceivesPerMinute);
            out.put("runs", Map.of("floor", floor, "noop", noop, "http100", http100, "http500", http500));
            return out;
        } finally {
            closing.close();
            fake500.stop();
            fake.stop();
            sqs.close();
            loader.close();
            embedded.close();
        }
    }

    private HeraldConfig.Sqs sqsConfig(String queue) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(embedded.endpoint().toString(), d.region(), List.of(queue), d.deadLetterSuffix(),
                d.maxReceiveCount(), d.visibilityTimeout(), 200);
    }

    private QueueRef loadedQueue() {
        QueueRef queue = SqsQueues.provision(sqs, sqsConfig("bench-" + (++queueCounter))).getFirst();
        SqsProducer producer = new SqsProducer(loader, codec);
        loaded += messages;
        Instant now = Instant.now();
        List<Envelope> batch = new ArrayList<>(1000);
        for (int i = 0; i < messages; i++) {
            batch.add(Envelope.create("email", "to" + i + "@example.org", Content.of("Bench " + i, "Body " + i),
                    Origin.api("bench"), now));
            if (batch.size() == 1000 || i == messages - 1) {
                List<Envelope> chunk = List.copyOf(batch);
                batch.clear();
                // Ten producers at once: loading is not what is measured, only what comes after.
                List<List<Envelope>> parts = new ArrayList<>();
                for (int p = 0; p < chunk.size(); p += 100) {
                    parts.add(chunk.subList(p, Math.min(p + 100, chunk.size())));
                }
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    parts.forEach(part -> pool.submit(() -> producer.send(queue.url(), part)));
                }
            }
        }
        return queue;
    }

    /** The floor: what a plain client does with the same queue, requests and machine. */
    private Run drainFloor() throws Exception {
        QueueRef queue = loadedQueue();
        AtomicInteger drained = new AtomicInteger();
        AtomicLong receives = new AtomicLong();
        AtomicLong deletes = new AtomicLong();
        HeapPeak heap = new HeapPeak();
        long start = System.nanoTime();
        try (heap; var threads = Executors.newFixedThreadPool(FLOOR_THREADS)) {
            for (int t = 0; t < FLOOR_THREADS; t++) {
                threads.submit(() -> {
                    while (drained.get() < messages) {
                        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queue.url()).maxNumberOfMessages(10)
                                .waitTimeSeconds(1)).messages();
                        receives.incrementAndGet();
                        if (got.isEmpty()) {
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> entries = IntStream.range(0, got.size())
                                .mapToObj(i -> DeleteMessageBatchRequestEntry.builder().id("d" + i)
                                        .receiptHandle(got.get(i).receiptHandle()).build()).toList();
                        sqs.deleteMessageBatch(b -> b.queueUrl(queue.url()).entries(entries));
                        deletes.incrementAndGet();
                        drained.addAndGet(got.size());
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(messages / seconds, Map.of("ReceiveMessage", receives.get() / (double) messages,
                "DeleteMessageBatch", deletes.get() / (double) messages), heap.mebibytes());
    }

    private Run pipelineRun(CountingProvider provider, int weight) throws Exception {
        QueueRef queue = loadedQueue();
        PipelineMetrics metrics = new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        HeraldConfig.Sqs sqsConfig = sqsConfig(queue.name());
        HeraldConfig.Pipeline config = HeraldConfig.defaults().pipeline().withAdminPort(-1).withLimits(10, 2000, 500);
        SqsClient client = SqsClients.create(sqsConfig, metrics.sqsRequestCounter());
        Pipeline pipeline = new Pipeline(client, List.of(queue), List.of(new ConfiguredProvider(provider, weight)), config,
                sqsConfig, metrics, null, Clock.systemUTC());
        try (HeapPeak heap = new HeapPeak()) {
            long start = System.nanoTime();
            pipeline.start();
            while (provider.delivered() < messages || settledCount(queue) > 0) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> perMessage = new LinkedHashMap<>();
            metrics.sqsRequests().forEach((action, count) -> perMessage.put(action, count / messages));
            return new Run(messages / seconds, perMessage, heap.mebibytes());
        } finally {
            closeLater(pipeline, client);
        }
    }

    /**
     * Every kind of run once, small and unrecorded: the first repeat otherwise measures class
     * loading and the JIT more than the pipeline.
     */
    private void warmUp(Javalin fake, Javalin fake500) throws Exception {
        int full = messages;
        messages = Math.max(100, full / 5);
        try {
            drainFloor();
            pipelineRun(new NoopProvider(), 1);
            pipelineRun(new HttpFakeProvider(URI.create("http://127.0.0.1:" + fake.port() + "/send")), 1);
            pipelineRun(new HttpFakeProvider(URI.create("http://127.0.0.1:" + fake500.port() + "/send")), 1);
        } finally {
            messages = full;
        }
    }

    private void closeLater(Pipeline pipeline, SqsClient client) {
        closing.submit(() -> {
            pipeline.close();
            client.close();
        });
    }

    /**
     * Enqueue-to-delivery latency at a steady load well below capacity: {@code latencyRate}
     * messages per second for {@code latencyWindow}, enqueued while the pipeline runs.
     */
    private Map<String, Object> latencyRun(CountingProvider provider) throws Exception {
        QueueRef queue = SqsQueues.provision(sqs, sqsConfig("bench-latency-" + (++queueCounter))).getFirst();
        DeliveryLatency recorded = new DeliveryLatency(provider, Clock.systemUTC());
        HeraldConfig.Sqs sqsConfig = sqsConfig(queue.name());
        SqsClient client = SqsClients.create(sqsConfig);
        Pipeline pipeline = new Pipeline(client, List.of(queue), List.of(new ConfiguredProvider(recorded, 1)),
                HeraldConfig.defaults().pipeline().withAdminPort(-1).withLimits(10, 2000, 500), sqsConfig,
                new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), null, Clock.systemUTC());
        try (SteadyLoad load = new SteadyLoad(sqs, queue.url(), "latency", latencyRate)) {
            pipeline.start();
            load.start(latencyWindow);
            load.join();
            int sent = load.sent().size();
            Await.until(() -> recorded.delivered() >= sent, Duration.ofSeconds(60), "the latency run's deliveries");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("messages", sent);
            out.put("p50Millis", recorded.percentileMillis(50));
            out.put("p99Millis", recorded.percentileMillis(99));
            return out;
        } finally {
            closeLater(pipeline, client);
        }
    }

    /** Counts ReceiveMessage calls of a pipeline with nothing to do. */
    private double idle() throws Exception {
        QueueRef queue = SqsQueues.provision(sqs, sqsConfig("bench-idle")).getFirst();
        PipelineMetrics metrics = new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        HeraldConfig.Sqs sqsConfig = sqsConfig(queue.name());
        SqsClient client = SqsClients.create(sqsConfig, metrics.sqsRequestCounter());
        Pipeline pipeline = new Pipeline(client, List.of(queue), List.of(new ConfiguredProvider(new NoopProvider(), 1)),
                HeraldConfig.defaults().pipeline().withAdminPort(-1), sqsConfig, metrics, null, Clock.systemUTC());
        pipeline.start();
        // When each receive starts: a window of a few 20 s long polls holds one receive more or
        // less than its length suggests, so the rate comes from the spacing of the receives.
        List<Long> starts = new ArrayList<>();
        double seen = 0;
        long end = System.nanoTime() + idleWindow.toNanos();
        while (System.nanoTime() < end) {
            double count = metrics.sqsRequests().getOrDefault("ReceiveMessage", 0.0);
            for (; seen < count; seen++) {
                starts.add(System.nanoTime());
            }
            Thread.sleep(20);
        }
        closeLater(pipeline, client);
        if (starts.size() < 2) {
            return starts.size() / (idleWindow.toMillis() / 60_000.0);
        }
        double minutes = (starts.getLast() - starts.getFirst()) / 60e9;
        return (starts.size() - 1) / minutes;
    }

    /** Visible and in-flight messages left on the queue: zero once every delete is through. */
    private int settledCount(QueueRef queue) {
        return LocalSqs.messagesOn(sqs, queue.url());
    }

    private static List<Double> ratios(List<Run> runs, List<Run> floors) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            out.add(runs.get(i).messagesPerSecond() / floors.get(i).messagesPerSecond());
        }
        return out;
    }

    /** Per action, the median over runs of requests per message (0 where a run made none). */
    private static Map<String, Double> medianByAction(List<Run> runs) {
        Map<String, Double> out = new java.util.TreeMap<>();
        runs.stream().flatMap(r -> r.requestsPerMessage().keySet().stream()).distinct().forEach(action ->
                out.put(action, median(runs.stream().map(r -> r.requestsPerMessage().getOrDefault(action, 0.0)).toList())));
        return out;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * An HTTP endpoint that answers 202 after {@code latency}, like a provider API under load.
     * Jetty on virtual threads, because the fake must not be the bottleneck: the JDK's built-in
     * HttpServer held only ~270 of 600 concurrent requests in a thread dump of this benchmark.
     */
    private static Javalin slowFake(Duration latency) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.concurrency.useVirtualThreads = true;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.routes.post("/send", ctx -> {
                ctx.bodyAsBytes();
                Thread.sleep(latency);
                ctx.status(202);
            });
        }).start();
    }

    private abstract static class CountingProvider implements Provider {
        private final AtomicInteger delivered = new AtomicInteger();

        int delivered() {
            return delivered.get();
        }

        Outcome deliveredOne(String id) {
            delivered.incrementAndGet();
            return new Outcome.Delivered(id);
        }

        @Override
        public String channel() {
            return "email";
        }
    }

    /** Delivers instantly: what is left to measure is the pipeline's own cost. */
    private static final class NoopProvider extends CountingProvider {
        @Override
        public String name() {
            return "noop";
        }

        @Override
        public Outcome send(Envelope envelope) {
            return deliveredOne(envelope.id());
        }
    }

    /** POSTs each envelope's JSON to the slow fake, as an HTTP provider would. */
    private final class HttpFakeProvider extends CountingProvider {
        // HTTP/1.1 like the webhook APIs it stands in for; the default would try an h2c upgrade first.
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        private final URI endpoint;

        HttpFakeProvider(URI endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public String name() {
            return "http-fake";
        }

        @Override
        public Outcome send(Envelope envelope) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint)
                        .POST(HttpRequest.BodyPublishers.ofString(codec.encode(envelope))).build(),
                        HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 202 ? deliveredOne(envelope.id())
                        : new Outcome.Retry(Duration.ZERO, "HTTP " + response.statusCode());
            } catch (IOException e) {
                return new Outcome.Retry(Duration.ZERO, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Retry(Duration.ZERO, "interrupted");
            }
        }
    }

    private void progress(String format, Object... args) {
        progress.printf(Locale.ROOT, "bench: pipeline: " + format + "%n", args);
    }
}
