package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusUpdate;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.ManualClock;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.outbox.OutboxProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The pipeline against a real SQS: ElasticMQ in-process, spoken to by the AWS SDK. Providers are the outbox provider or
 * {@link ScriptedProvider}s (see there why).
 */
class PipelineTest {

    private static final Outcome FAILED = new Outcome.Retry(Duration.ZERO, "HTTP 500");
    private static EmbeddedSqs embedded;
    private static SqsClient admin;
    private static int queueCounter;

    @TempDir
    Path outbox;

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineMetrics metrics = new PipelineMetrics(registry);
    /** Each visibility timeout, in seconds, the pipeline asked SQS for (a retry's wait, a kept message). */
    private final List<Integer> visibilityAsked = new CopyOnWriteArrayList<>();

    private SqsClient sqs;
    private QueueRef queue;
    private HeraldConfig.Sqs sqsConfig;
    private Pipeline pipeline;

    @BeforeAll
    static void startSqs() {
        embedded = EmbeddedSqs.start(0);
        admin = SqsClients.create(sqsConfig(List.of("unused"), Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stopSqs() {
        admin.close();
        embedded.close();
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    private static HeraldConfig.Sqs sqsConfig(List<String> queues, Duration visibility) {
        return sqsConfig(queues, visibility, HeraldConfig.defaults().sqs().maxReceiveCount());
    }

    private static HeraldConfig.Sqs sqsConfig(List<String> queues, Duration visibility, int maxReceiveCount) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(
                embedded.endpoint().toString(),
                d.region(),
                queues,
                d.deadLetterSuffix(),
                maxReceiveCount,
                visibility,
                d.maxConnections());
    }

    private static HeraldConfig.PipelineSettings fastConfig() {
        return HeraldConfig.defaults()
                .pipeline()
                .withSendTimeout(Duration.ofMillis(500))
                .withReceiveWait(Duration.ofSeconds(1))
                .withHealth(3, 2, Duration.ofMillis(300))
                .withRetryDelays(Duration.ZERO, Duration.ZERO)
                .withAdminPort(-1);
    }

    /** A fresh queue per test, so one test's leftovers cannot satisfy another's assertions. */
    private void newQueue(Duration visibility) {
        newQueue(visibility, HeraldConfig.defaults().sqs().maxReceiveCount());
    }

    private void newQueue(Duration visibility, int maxReceiveCount) {
        sqsConfig = sqsConfig(List.of("pipeline-test-" + (++queueCounter)), visibility, maxReceiveCount);
        queue = SqsQueues.provision(admin, sqsConfig).getFirst();
        sqs = SqsClients.create(sqsConfig, metrics.sqsRequestCounter(), new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof ChangeMessageVisibilityBatchRequest batch) {
                    batch.entries().forEach(e -> visibilityAsked.add(e.visibilityTimeout()));
                }
            }
        });
    }

    private void start(HeraldConfig.PipelineSettings config, ConfiguredProvider... providers) {
        start(config, Clock.systemUTC(), providers);
    }

    private void start(HeraldConfig.PipelineSettings config, Clock clock, ConfiguredProvider... providers) {
        if (queue == null) {
            newQueue(Duration.ofSeconds(30));
        }
        pipeline = new Pipeline(sqs, List.of(queue), List.of(providers), config, sqsConfig, metrics, null, clock);
        pipeline.start();
    }

    private static ConfiguredProvider weighted(Provider provider, int weight) {
        return new ConfiguredProvider(provider, weight);
    }

    private List<Envelope> enqueue(int n, String channel) {
        List<Envelope> envelopes = IntStream.range(0, n)
                .mapToObj(i -> Envelope.create(
                        channel,
                        "to" + i + "@example.org",
                        Content.of("Subject " + i, "Body"),
                        Origin.api("test"),
                        Instant.now()))
                .toList();
        List<EnqueueResult> results = new SqsProducer(admin, codec).send(queue.url(), envelopes);
        assertThat(results).allMatch(r -> r instanceof EnqueueResult.Enqueued);
        return envelopes;
    }

    @Test
    void deliveredMessageBecomesAnEmlFileAndLeavesTheQueue() {
        start(fastConfig(), weighted(new OutboxProvider(outbox), 1));
        Envelope e = enqueue(1, "email").getFirst();

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(outbox.resolve(e.id() + ".eml")));
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
    }

    @Test
    void healthyProvidersShareTrafficByWeight() {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.Delivered("ok"));
        ScriptedProvider sendgrid = new ScriptedProvider("sendgrid", e -> new Outcome.Delivered("ok"));
        start(fastConfig(), weighted(ses, 3), weighted(sendgrid, 1));
        enqueue(400, "email");

        await().atMost(Duration.ofSeconds(30)).until(() -> ses.delivered.size() + sendgrid.delivered.size() == 400);

        assertThat(ses.delivered.size()).isBetween(290, 310);
        assertThat(sendgrid.delivered.size()).isBetween(90, 110);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
    }

    @Test
    void trafficShiftsAwayFromAFailingProviderWhichGetsOnlySingleProbes() {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> FAILED);
        ScriptedProvider sendgrid = new ScriptedProvider("sendgrid", e -> {
            sleep(Duration.ofMillis(2));
            return new Outcome.Delivered("ok");
        });
        // The pipeline's clock (health's rest) moves only when the test moves it, so probes are counted exactly.
        ManualClock clock = ManualClock.atNow();
        start(fastConfig(), clock, weighted(ses, 1), weighted(sendgrid, 1));
        List<Envelope> sent = enqueue(300, "email");

        await().atMost(Duration.ofSeconds(30)).until(() -> new HashSet<>(sendgrid.delivered).containsAll(ids(sent)));

        // Three failures make ses unhealthy; before that only the sends already chosen reach it.
        assertThat(ses.maxConcurrent.get()).isLessThanOrEqualTo(fastConfig().maxInFlightPerWorker());
        assertThat(statusOf("ses").get("state").asText()).isEqualTo("unhealthy");
        int whileUnhealthy = ses.attempts.get();

        List<Envelope> duringRest = enqueue(100, "email");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> new HashSet<>(sendgrid.delivered).containsAll(ids(duringRest)));
        assertThat(ses.attempts.get()).as("no probe while it rests").isEqualTo(whileUnhealthy);

        for (int rest = 1; rest <= 3; rest++) {
            clock.advance(fastConfig().openWait());
            List<Envelope> afterRest = enqueue(100, "email");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> new HashSet<>(sendgrid.delivered).containsAll(ids(afterRest)));
            assertThat(ses.attempts.get() - whileUnhealthy)
                    .as("one probe per rest that ended, the failed one starting the next rest")
                    .isEqualTo(rest);
        }
        assertThat(ses.delivered).isEmpty();
        assertThat(statusOf("ses").get("state").asText()).isEqualTo("unhealthy");
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
    }

    @Test
    void aRecoveredProviderGetsTrafficAgainAndCanFailAgain() {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> FAILED);
        ScriptedProvider sendgrid = new ScriptedProvider("sendgrid", e -> new Outcome.Delivered("ok"));
        start(fastConfig(), weighted(ses, 1), weighted(sendgrid, 1));
        enqueue(50, "email");
        await().atMost(Duration.ofSeconds(30)).until(() -> sendgrid.delivered.size() == 50);
        assertThat(statusOf("ses").get("state").asText()).isNotEqualTo("healthy");

        ses.answer(e -> new Outcome.Delivered("ok"));
        keepTrafficFlowingUntil(
                () -> "healthy".equals(statusOf("ses").get("state").asText()));
        int before = ses.delivered.size();
        enqueue(100, "email");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ses.delivered.size() + sendgrid.delivered.size() >= 50 + before + 100 - 1);
        assertThat(ses.delivered.size() - before)
                .as("ses carries traffic again")
                .isGreaterThan(20);

        ses.answer(e -> FAILED);
        keepTrafficFlowingUntil(
                () -> !"healthy".equals(statusOf("ses").get("state").asText()));
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
    }

    @Test
    void whenEveryProviderIsDownNothingIsLostAndAllIsDeliveredOnceOneHeals() {
        // Messages bounce between two failing providers many times here; let SQS keep them.
        newQueue(Duration.ofSeconds(30), 1000);
        ScriptedProvider ses = new ScriptedProvider("ses", e -> FAILED);
        ScriptedProvider sendgrid = new ScriptedProvider("sendgrid", e -> FAILED);
        start(fastConfig(), weighted(ses, 1), weighted(sendgrid, 1));
        List<Envelope> sent = enqueue(40, "email");
        await().atMost(Duration.ofSeconds(30)).until(() -> ses.attempts.get() + sendgrid.attempts.get() >= 200);
        assertThat(statusOf("ses").get("state").asText()).isNotEqualTo("healthy");
        assertThat(statusOf("sendgrid").get("state").asText()).isNotEqualTo("healthy");
        assertThat((double) ses.attempts.get() / (ses.attempts.get() + sendgrid.attempts.get()))
                .as("even split while all are down")
                .isBetween(0.35, 0.65);

        sendgrid.answer(e -> new Outcome.Delivered("ok"));

        await().atMost(Duration.ofSeconds(30)).until(() -> new HashSet<>(sendgrid.delivered).containsAll(ids(sent)));
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
        assertThat(messagesOn(queue.deadLetterUrl())).isZero();
    }

    @Test
    void rejectedMessagesGoToTheDeadLetterQueueWithTheReasonAndTheProviderStaysHealthy() {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.Rejected("mailbox does not exist"));
        start(fastConfig(), weighted(ses, 1));
        enqueue(10, "email");

        List<Message> dead = receive(queue.deadLetterUrl(), 10);

        assertThat(dead).allSatisfy(m -> {
            assertThat(m.messageAttributes().get(MessageAttributes.REASON).stringValue())
                    .isEqualTo("mailbox does not exist");
            assertThat(m.messageAttributes().get(MessageAttributes.PROVIDER).stringValue())
                    .isEqualTo("ses");
        });
        assertThat(statusOf("ses").get("state").asText()).isEqualTo("healthy");
        assertThat(ses.attempts.get()).isEqualTo(10);
    }

    @Test
    void deadLettersShowInTheDeadLetterGaugesAndTheRejectedSendsCounter() {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.Rejected("mailbox does not exist"));
        start(fastConfig(), weighted(ses, 1));
        enqueue(3, "email");

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.deadLetterUrl()) == 3);
        // A gauge whose state only Micrometer's weak reference held would read NaN after a collection.
        System.gc();
        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("herald_dead_letter_messages{queue=\"" + queue.name() + "\"} 3.0")
                .contains("herald_sends_total{channel=\"email\",outcome=\"rejected\",worker=\"ses\"} 3.0")
                .contains("herald_sends_total{channel=\"email\",outcome=\"delivered\",worker=\"ses\"} 0.0")
                .containsPattern("herald_dead_letter_oldest_age_seconds\\{queue=\"" + queue.name() + "\"} \\d+\\.0");
    }

    @Test
    void malformedMessageGoesToTheDeadLetterQueueWithItsReason() {
        start(fastConfig(), weighted(new OutboxProvider(outbox), 1));
        admin.sendMessage(b -> b.queueUrl(queue.url()).messageBody("this is not JSON"));

        Message dead = receive(queue.deadLetterUrl(), 1).getFirst();

        assertThat(dead.body()).isEqualTo("this is not JSON");
        assertThat(dead.messageAttributes().get(MessageAttributes.REASON).stringValue())
                .startsWith("malformed message: not valid JSON");
        assertThat(dead.messageAttributes().get(MessageAttributes.SOURCE_QUEUE).stringValue())
                .isEqualTo(queue.name());
        assertThat(dead.messageAttributes()).doesNotContainKey(MessageAttributes.PROVIDER);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
    }

    @Test
    void messageForAChannelWithoutAProviderIsDeadLetteredNotDropped() {
        start(fastConfig(), weighted(new OutboxProvider(outbox), 1));
        enqueue(1, "telegram");

        Message dead = receive(queue.deadLetterUrl(), 1).getFirst();

        assertThat(codec.decode(dead.body()).channel()).isEqualTo("telegram");
        assertThat(dead.messageAttributes().get(MessageAttributes.REASON).stringValue())
                .isEqualTo("no provider configured for channel 'telegram'");
    }

    @Test
    void aMessageThatKeepsFailingIsDeadLetteredWithItsLastErrorAfterMaxReceiveCount() {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.ProviderDown("account paused"));
        start(fastConfig().withHealth(1000, 1, Duration.ofMillis(1)), weighted(ses, 1));
        enqueue(1, "email");

        Message dead = receive(queue.deadLetterUrl(), 1).getFirst();

        assertThat(ses.attempts.get()).isEqualTo(sqsConfig.maxReceiveCount());
        assertThat(dead.messageAttributes().get(MessageAttributes.REASON).stringValue())
                .isEqualTo("gave up after " + sqsConfig.maxReceiveCount() + " attempts: account paused");
        assertThat(dead.messageAttributes().get(MessageAttributes.PROVIDER).stringValue())
                .isEqualTo("ses");
    }

    @Test
    void retriesWaitLongerWithEachAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        ScriptedProvider ses = new ScriptedProvider("ses", e -> {
            return attempts.incrementAndGet() < 4 ? FAILED : new Outcome.Delivered("ok");
        });
        start(
                fastConfig()
                        .withHealth(1000, 1, Duration.ofMillis(1))
                        .withRetryDelays(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                weighted(ses, 1));
        enqueue(1, "email");

        await().atMost(Duration.ofSeconds(40)).until(() -> ses.delivered.size() == 1);

        // The waits are what the pipeline asks SQS for, not time measured on a busy machine. Visibility is
        // set in whole seconds: delays of 1, 2 and 4 s (jittered over their upper half) come out as at
        // least 0, 1 and 2 s, never shorter than the one before, the last longer than the first.
        assertThat(attempts).hasValue(4);
        assertThat(visibilityAsked)
                .as("visibility timeouts of the three retries")
                .hasSize(3)
                .isSorted();
        assertThat(visibilityAsked.get(2)).isGreaterThan(visibilityAsked.get(0)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void sendThatOutlivesTheSendTimeoutIsAbandonedAndRetried() {
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ScriptedProvider ses = new ScriptedProvider("ses", e -> {
            if (seen.add(e.id())) {
                try {
                    Thread.sleep(Duration.ofSeconds(3));
                } catch (InterruptedException abandoned) {
                    return new Outcome.Retry(Duration.ZERO, "interrupted");
                }
            }
            return new Outcome.Delivered("ok");
        });
        start(fastConfig(), weighted(ses, 1));
        enqueue(1, "email");

        await().atMost(Duration.ofSeconds(30)).until(() -> ses.delivered.size() == 1);
        assertThat(ses.attempts.get()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
    }

    @Test
    void aDeliveryThatEndsAfterTheSendTimeoutStandsAndIsNotSentAgain() {
        // A provider that finishes its request although interrupted at the deadline: the message was
        // delivered, so retrying it would deliver it twice.
        ScriptedProvider ses = new ScriptedProvider("ses", e -> {
            long end = System.nanoTime() + Duration.ofMillis(800).toNanos();
            boolean interrupted = false;
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(Duration.ofNanos(end - System.nanoTime()));
                } catch (InterruptedException e2) {
                    interrupted = true;
                }
            }
            return interrupted ? new Outcome.Delivered("late") : new Outcome.Retry(Duration.ZERO, "never interrupted");
        });
        start(fastConfig(), weighted(ses, 1));
        enqueue(1, "email");

        await().atMost(Duration.ofSeconds(30)).until(() -> ses.delivered.size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> ses.attempts.get() == 1);
        assertThat(registry.get("herald.sends")
                        .tag("outcome", "delivered")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aProviderSlotIsFreeForTheNextMessageWhileTheLastOneIsStillBeingSettled() throws Exception {
        // A status store that stalls on cue stands in for a slow one: DynamoDB Local cannot be made
        // slow on purpose. While the first delivery's status write hangs, the provider's only send
        // slot must already serve the second message.
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch letWritesGo = new CountDownLatch(1);
        StatusStore stallingStore = new StatusStore() {
            @Override
            public void record(StatusUpdate update) {
                if (update.state() instanceof DeliveryState.Delivered && firstWriteStarted.getCount() > 0) {
                    firstWriteStarted.countDown();
                    try {
                        letWritesGo.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public Optional<StatusUpdate> find(String messageId) {
                return Optional.empty();
            }
        };
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.Delivered("ok"));
        newQueue(Duration.ofSeconds(30));
        pipeline = new Pipeline(
                sqs,
                List.of(queue),
                List.of(weighted(ses, 1)),
                fastConfig().withLimits(10, 1000, 1),
                sqsConfig,
                metrics,
                stallingStore,
                Clock.systemUTC());
        pipeline.start();
        enqueue(2, "email");

        assertThat(firstWriteStarted.await(20, TimeUnit.SECONDS)).isTrue();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ses.delivered.size() == 2);
        } finally {
            letWritesGo.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
    }

    @Test
    void aMessageHeldLongerThanTheVisibilityTimeoutIsKeptHiddenAndSentOnce() {
        newQueue(Duration.ofSeconds(2));
        ScriptedProvider slow = new ScriptedProvider("slow", e -> {
            sleep(Duration.ofMillis(900));
            return new Outcome.Delivered("ok");
        });
        // One send at a time: the last of four messages waits ~2.7 s, past the 2 s visibility timeout.
        start(fastConfig().withSendTimeout(Duration.ofMillis(1500)).withLimits(10, 1000, 1), weighted(slow, 1));
        enqueue(4, "email");

        await().atMost(Duration.ofSeconds(30)).until(() -> slow.delivered.size() >= 4);
        // No fifth send for 3 s: longer than the visibility timeout that would have let one through.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> slow.delivered.size() == 4);

        assertThat(slow.delivered).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void closeWaitsForSendsInFlightAndSettlesThem() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        ScriptedProvider ses = new ScriptedProvider("ses", e -> {
            sending.countDown();
            sleep(Duration.ofMillis(300));
            return new Outcome.Delivered("ok");
        });
        start(fastConfig(), weighted(ses, 1));
        enqueue(1, "email");
        assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();

        pipeline.close();
        pipeline = null;

        assertThat(ses.delivered).hasSize(1);
        assertThat(messagesOn(queue.url())).isZero();
    }

    @Test
    void closeLetsALongPollInProgressFinishAndDeliversWhatItBrings() {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.Delivered("ok"));
        start(fastConfig().withReceiveWait(Duration.ofSeconds(3)), weighted(ses, 1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> metrics.sqsRequests().getOrDefault("ReceiveMessage", 0.0) >= 1.0);
        Thread.ofVirtual().start(() -> {
            sleep(Duration.ofMillis(300));
            enqueue(1, "email");
        });
        // The bound only stops a hang (close must not wait for more than the open poll): no timing is asserted.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> pipeline.close());
        pipeline = null;

        // The message arrived while the pipeline was stopping and the open long poll took it.
        // Rather than being stranded on a dead connection, hidden for a visibility timeout, it
        // was delivered or released: either way nothing is left in flight.
        await().atMost(Duration.ofSeconds(30)).until(() -> ses.delivered.size() + visibleOn(queue.url()) == 1);
        assertThat(messagesOn(queue.url()) - visibleOn(queue.url()))
                .as("in flight")
                .isZero();
    }

    @Test
    void anIdlePipelineKeepsOneLongPollOpenPerQueue() {
        start(fastConfig().withReceiveWait(Duration.ofSeconds(20)), weighted(new OutboxProvider(outbox), 1));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> metrics.sqsRequests().getOrDefault("ReceiveMessage", 0.0) >= 1.0);

        // For 3 s (well within the 20 s wait) no second poll and no second look at the queue.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
            Map<String, Double> requests = metrics.sqsRequests();
            return requests.getOrDefault("ReceiveMessage", 0.0) == 1.0
                    && requests.getOrDefault("GetQueueAttributes", 0.0) == 1.0;
        });
    }

    @Test
    void adminServerShowsHealthAndMetrics() throws Exception {
        ScriptedProvider ses = new ScriptedProvider("ses", e -> new Outcome.Delivered("ok"));
        start(fastConfig(), weighted(ses, 2));
        enqueue(5, "email");
        await().atMost(Duration.ofSeconds(30)).until(() -> ses.delivered.size() == 5);

        try (AdminServer server = new AdminServer("127.0.0.1", 0, registry, pipeline::status);
                HttpClient http = HttpClient.newHttpClient()) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            HttpResponse<String> status = http.send(
                    HttpRequest.newBuilder(base.resolve("/status")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> scrape = http.send(
                    HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());

            JsonNode worker = new ObjectMapper().readTree(status.body()).at("/pools/email/0");
            assertThat(worker.get("name").asText()).isEqualTo("ses");
            assertThat(worker.get("state").asText()).isEqualTo("healthy");
            assertThat(worker.get("weight").asInt()).isEqualTo(2);
            assertThat(worker.get("delivered").asLong()).isEqualTo(5);
            assertThat(scrape.body())
                    .contains("herald_sends_total{channel=\"email\",outcome=\"delivered\",worker=\"ses\"} 5.0")
                    .contains("herald_sqs_requests_total{action=\"ReceiveMessage\"}")
                    .contains("herald_worker_healthy{worker=\"ses\"} 1.0")
                    .contains("herald_send_latency_seconds_bucket");
        }
    }

    private JsonNode statusOf(String worker) {
        JsonNode tree = new ObjectMapper().valueToTree(pipeline.status());
        for (JsonNode w : tree.at("/pools/email")) {
            if (w.get("name").asText().equals(worker)) {
                return w;
            }
        }
        throw new AssertionError("no worker " + worker + " in " + tree);
    }

    /** Health changes only when sends happen: keep a trickle of messages going until it does. */
    private void keepTrafficFlowingUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            enqueue(5, "email");
            return false;
        });
    }

    private static List<String> ids(List<Envelope> envelopes) {
        return envelopes.stream().map(Envelope::id).toList();
    }

    /** Visible plus in-flight messages: zero means every message was settled. */
    private static int messagesOn(String url) {
        Map<QueueAttributeName, String> attributes = admin.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static int visibleOn(String url) {
        return Integer.parseInt(admin.getQueueAttributes(
                        b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private static List<Message> receive(String url, int count) {
        List<Message> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            got.addAll(admin.receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .messageAttributeNames("All"))
                    .messages());
            return got.size() >= count;
        });
        assertThat(got).hasSize(count);
        return got;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
