package io.herald.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.control.ControlStore;
import io.herald.core.control.DomainDeferral;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.control.PauseScope;
import io.herald.core.control.QueueAge;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.provider.ses.SesConfig;
import io.herald.core.provider.slack.SlackConfig;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.QueueStats;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.pacing.DomainPacer;
import io.herald.pipeline.provider.CapturedLogs;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.sendgrid.SendGridProvider;
import io.herald.pipeline.provider.ses.SesProvider;
import io.herald.pipeline.provider.slack.SlackProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Pauses and shared health across two pipeline instances in one JVM, sharing one SQS (ElasticMQ) and one status table
 * (DynamoDB Local), each instance with its own SES and SendGrid providers talking to the same WireMock fakes of those
 * APIs. Every message carries a token in its subject, and the fakes' successful requests are counted per token: nothing
 * may be lost or sent twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineControlTest {

    private static final String SES_PATH = "/v2/email/outbound-emails";
    private static final String SENDGRID_PATH = "/v3/mail/send";
    private static final String SLACK_PATH = "/services/T000/B000/XXXX";
    private static final Pattern TOKEN = Pattern.compile("tok-[0-9]+-end");
    /** Short so the tests run fast; the default (2 s) is justified in herald.example.yaml. */
    private static final HeraldConfig.Control CONTROL = new HeraldConfig.Control(
            Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(1));

    private EmbeddedSqs embeddedSqs;
    private EmbeddedDynamoDb embeddedDynamo;
    private SqsClient sqs;
    private DynamoDbClient dynamo;
    private HeraldConfig.Sqs sqsConfig;
    private int round;
    private int tokens;

    private String table;
    private ControlStore operator;
    private WireMockServer sesFake;
    private WireMockServer sendgridFake;
    private WireMockServer slackFake;
    private final List<Pipeline> pipelines = new ArrayList<>();
    /** ReceiveMessage calls out now on the client every instance here shares: zero means no long poll is open. */
    private final AtomicInteger receivesOut = new AtomicInteger();

    /**
     * Long, well under the 30 s visibility timeout: these tests count each message delivered exactly once, and a send
     * that times out on a loaded machine is retried although the fake took it (at-least-once, as designed). A CPU-hog
     * run saw a 2 s timeout fire and a message delivered twice.
     */
    private static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(10);

    private final Map<Pipeline, PipelineMetrics> metrics = new HashMap<>();

    @BeforeAll
    void startBackends() {
        embeddedSqs = EmbeddedSqs.start(0);
        embeddedDynamo = EmbeddedDynamoDb.start(0);
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        sqsConfig = new HeraldConfig.Sqs(
                embeddedSqs.endpoint().toString(),
                d.region(),
                List.of("unused"),
                d.deadLetterSuffix(),
                5,
                Duration.ofSeconds(30),
                d.maxConnections());
        sqs = SqsClients.create(sqsConfig, new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof ReceiveMessageRequest) {
                    receivesOut.incrementAndGet();
                }
            }

            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof ReceiveMessageRequest) {
                    receivesOut.decrementAndGet();
                }
            }

            @Override
            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof ReceiveMessageRequest) {
                    receivesOut.decrementAndGet();
                }
            }
        });
        HeraldConfig.Status s = HeraldConfig.defaults().status();
        // DynamoDB Local runs in this JVM beside two pipelines and ElasticMQ: on a busy machine a call can
        // take longer than the production client's 5 s, and the operator's pause must not fail for it.
        dynamo = DynamoDbClients.createPatient(
                new HeraldConfig.Status(embeddedDynamo.endpoint().toString(), s.region(), "unused", s.ttl()),
                Duration.ofSeconds(60));
    }

    @AfterAll
    void stopBackends() {
        dynamo.close();
        sqs.close();
        embeddedDynamo.close();
        embeddedSqs.close();
    }

    @BeforeEach
    void freshTableAndFakes() {
        round++;
        table = "control-" + round;
        StatusTable.createIfMissing(dynamo, table);
        operator = store();
        sesFake = Fakes.start();
        answer(sesFake, SES_PATH, 200, "{\"MessageId\":\"ses-id\"}");
        sendgridFake = Fakes.start();
        answer(sendgridFake, SENDGRID_PATH, 202, "");
        slackFake = Fakes.start();
        answer(slackFake, SLACK_PATH, 200, "ok");
    }

    @AfterEach
    void stopPipelinesAndFakes() {
        pipelines.forEach(Pipeline::close);
        pipelines.clear();
        sesFake.stop();
        sendgridFake.stop();
        slackFake.stop();
    }

    private ControlStore store() {
        return new DynamoControlStore(dynamo, table, CONTROL.staleAfter(), Clock.systemUTC());
    }

    private QueueRef newQueue(String purpose) {
        HeraldConfig.Sqs config = new HeraldConfig.Sqs(
                sqsConfig.endpoint(),
                sqsConfig.region(),
                List.of("control-" + round + "-" + purpose),
                sqsConfig.deadLetterSuffix(),
                sqsConfig.maxReceiveCount(),
                sqsConfig.visibilityTimeout(),
                sqsConfig.maxConnections());
        return SqsQueues.provision(sqs, config).getFirst();
    }

    /** One pipeline instance with SES and SendGrid for email (and Slack when asked), reading {@code queue}. */
    private Pipeline pipeline(String instance, QueueRef queue, Duration openWait, boolean withSlack) {
        return pipeline(instance, queue, openWait, withSlack, store());
    }

    private Pipeline pipeline(
            String instance, QueueRef queue, Duration openWait, boolean withSlack, ControlStore controlStore) {
        return pipeline(instance, queue, openWait, withSlack, controlStore, UnaryOperator.identity());
    }

    private Pipeline pipeline(
            String instance,
            QueueRef queue,
            Duration openWait,
            boolean withSlack,
            ControlStore controlStore,
            UnaryOperator<HeraldConfig.PipelineSettings> tweak) {
        return pipeline(
                instance,
                queue,
                openWait,
                withSlack,
                controlStore,
                tweak,
                new DomainPacer(HeraldConfig.Pacing.defaults(), Clock.systemUTC()));
    }

    private Pipeline pipeline(
            String instance,
            QueueRef queue,
            Duration openWait,
            boolean withSlack,
            ControlStore controlStore,
            UnaryOperator<HeraldConfig.PipelineSettings> tweak,
            DomainPacer pacer) {
        Clock clock = Clock.systemUTC();
        SesProvider ses = new SesProvider(
                new SesConfig(
                        true,
                        1,
                        PROVIDER_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        "us-east-1",
                        Fakes.baseUrl(sesFake),
                        "herald@example.org",
                        "",
                        SesConfig.Feedback.defaults()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secretKeyExample")),
                clock);
        SendGridProvider sendgrid = new SendGridProvider(
                new SendGridConfig(
                        true,
                        1,
                        PROVIDER_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Fakes.baseUrl(sendgridFake),
                        Secret.of("SG.test-key"),
                        "herald@example.org",
                        SendGridConfig.EventWebhook.defaults()),
                clock);
        List<ConfiguredProvider> providers =
                new ArrayList<>(List.of(new ConfiguredProvider(ses, 1), new ConfiguredProvider(sendgrid, 1)));
        if (withSlack) {
            providers.add(new ConfiguredProvider(
                    new SlackProvider(
                            new SlackConfig(
                                    true,
                                    1,
                                    PROVIDER_TIMEOUT,
                                    1000,
                                    Duration.ofSeconds(1),
                                    "",
                                    Secret.of(Fakes.baseUrl(slackFake) + SLACK_PATH)),
                            clock),
                    1));
        }
        HeraldConfig.PipelineSettings config = HeraldConfig.defaults()
                .pipeline()
                .withSendTimeout(PROVIDER_TIMEOUT.plusSeconds(2))
                .withReceiveWait(Duration.ofSeconds(1))
                .withHealth(3, 2, openWait)
                .withRetryDelays(Duration.ZERO, Duration.ZERO)
                .withAdminPort(-1);
        config = tweak.apply(config);
        PipelineMetrics meters = new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Pipeline pipeline = new Pipeline(
                sqs,
                List.of(queue),
                providers,
                config,
                sqsConfig,
                meters,
                null,
                clock,
                controlStore,
                instance,
                CONTROL,
                null,
                pacer);
        pipeline.start();
        pipelines.add(pipeline);
        metrics.put(pipeline, meters);
        return pipeline;
    }

    @Test
    void aDeferralAnotherProcessHeardSlowsThatDomainHereAndOneHeardHereIsToldToTheOthers() {
        // Recovery an hour away, so no domain speeds up again however slow the machine.
        HeraldConfig.Pacing pacing = new HeraldConfig.Pacing("none", List.of(), "1/s", Duration.ofHours(1));
        double afterDeferral = HeraldConfig.Pacing.perSecond(pacing.afterDeferral());
        DomainPacer pacer = new DomainPacer(pacing, Clock.systemUTC());
        Pipeline a = pipeline(
                "instance-a",
                newQueue("defer"),
                Duration.ofMinutes(5),
                false,
                store(),
                UnaryOperator.identity(),
                pacer);

        // What the API's SendGrid webhook does with a "deferred" event (DeferralSharing).
        operator.publishDeferral(new DomainDeferral("gmail.com", "api@elsewhere", Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> pacer.currentRate("gmail.com") == afterDeferral);
        // Heard here (a 421 at send time, SES feedback in this process): told to the others.
        pacer.deferred("outlook.com");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> operator.deferrals().stream()
                        .anyMatch(d ->
                                d.domain().equals("outlook.com") && d.reporter().equals("instance-a")));

        // Read again and again, neither slows its domain a second time: not the peer's, not its own read back.
        double reads = controlReads(a);
        await().atMost(Duration.ofSeconds(20)).until(() -> controlReads(a) >= reads + 2);
        assertThat(pacer.currentRate("gmail.com")).isEqualTo(afterDeferral);
        assertThat(pacer.currentRate("outlook.com")).isEqualTo(afterDeferral);
    }

    private double controlReads(Pipeline pipeline) {
        return metrics.get(pipeline)
                .registry()
                .get("herald.control.reads")
                .tag("outcome", "ok")
                .counter()
                .count();
    }

    /** One instance with email and Slack, email paused: the queue is still read for Slack, emails are parked. */
    private Pipeline pipelineWithEmailPaused(QueueRef queue) {
        Pipeline a = pipeline("instance-a", queue, Duration.ofMillis(300), true);
        operator.pause(PauseScope.channel("email"), "test");
        await().atMost(Duration.ofSeconds(10)).until(() -> "paused".equals(state(a, "ses")));
        return a;
    }

    private static void answer(WireMockServer fake, String path, int status, String body) {
        fake.resetAll();
        fake.stubFor(post(urlEqualTo(path))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-Message-Id", "sg-id")
                        .withBody(body)));
    }

    /** @return the tokens of the messages sent */
    private List<String> enqueue(QueueRef queue, String channel, int n) {
        List<String> sent = new ArrayList<>();
        List<Envelope> envelopes = IntStream.range(0, n)
                .mapToObj(i -> {
                    String token = "tok-" + (++tokens) + "-end";
                    sent.add(token);
                    String target = channel.equals("email") ? "to" + tokens + "@example.org" : "U024BE7LH";
                    return Envelope.create(
                            channel, target, Content.of("Control " + token, "Body"), Origin.api("test"), Instant.now());
                })
                .toList();
        new SqsProducer(sqs, new EnvelopeCodec()).send(queue.url(), envelopes);
        return sent;
    }

    /** How often each token was delivered, over every fake. */
    private Map<String, Integer> deliveredTokens() {
        Map<String, Integer> counts = new HashMap<>();
        for (WireMockServer fake : List.of(sesFake, sendgridFake, slackFake)) {
            for (ServeEvent event : fake.getAllServeEvents()) {
                if (event.getResponse().getStatus() / 100 != 2) {
                    continue;
                }
                Matcher m = TOKEN.matcher(event.getRequest().getBodyAsString());
                if (m.find()) {
                    counts.merge(m.group(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private void awaitDeliveredOnceEach(List<String> expected) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> deliveredTokens().keySet().containsAll(expected));
        Map<String, Integer> counts = deliveredTokens();
        for (String token : expected) {
            assertThat(counts.get(token)).as("deliveries of " + token).isEqualTo(1);
        }
    }

    /** Every message delivered once, none left on the queue, none dead-lettered. */
    private void awaitAllSettled(QueueRef queue, List<String> sent) {
        awaitDeliveredOnceEach(sent);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
        assertThat(messagesOn(queue.deadLetterUrl()))
                .as("nothing dead-lettered")
                .isZero();
    }

    private static int calls(WireMockServer fake) {
        return fake.getAllServeEvents().size();
    }

    private static String state(Pipeline pipeline, String provider) {
        return pipeline.status().pools().values().stream()
                .flatMap(List::stream)
                .filter(w -> w.name().equals(provider))
                .findFirst()
                .orElseThrow()
                .state();
    }

    private double receives(Pipeline pipeline) {
        return metrics.get(pipeline).sqsRequests().getOrDefault("ReceiveMessage", 0.0);
    }

    private int messagesOn(String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    @Test
    void aProviderOneInstanceSawFailIsRestedByTheOtherWithinOneIteration() {
        QueueRef queueA = newQueue("a");
        QueueRef queueB = newQueue("b");
        // A long rest: no probe may blur what B sends to SendGrid during the test.
        Pipeline a = pipeline("instance-a", queueA, Duration.ofMinutes(5), false);
        Pipeline b = pipeline("instance-b", queueB, Duration.ofMinutes(5), false);
        answer(sendgridFake, SENDGRID_PATH, 500, "{\"errors\":[{\"message\":\"internal error\"}]}");

        List<String> first = enqueue(queueA, "email", 30);
        await().atMost(Duration.ofSeconds(30)).until(() -> "unhealthy".equals(state(a, "sendgrid")));
        // What the dashboard shows of it: why (the provider's own, redacted wording) and since when.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> operator.health().stream()
                        .anyMatch(h -> h.instance().equals("instance-a")
                                && h.provider().equals("sendgrid")
                                && h.unhealthySince() != null
                                && h.lastError() != null
                                && h.lastError().contains("500")));
        // SendGrid heals at once: whatever B does not send it from here on, it leaves out because of A's report.
        answer(sendgridFake, SENDGRID_PATH, 202, "");

        // Within one iteration of B's: the refresh interval plus one receive wait, with room for a loaded machine.
        await().atMost(Duration.ofSeconds(10)).until(() -> "unhealthy".equals(state(b, "sendgrid")));
        // B's own queue was empty until now, so its breaker opened on A's report, not on failures of its own.
        Worker.WorkerStatus bSendgrid = b.status().pools().values().stream()
                .flatMap(List::stream)
                .filter(w -> w.name().equals("sendgrid"))
                .findFirst()
                .orElseThrow();
        assertThat(bSendgrid.delivered() + bSendgrid.retried() + bSendgrid.rejected() + bSendgrid.providerDown())
                .as("B has sent nothing to SendGrid itself")
                .isZero();
        assertThat(b.status().peers()).anySatisfy(peer -> {
            assertThat(peer.instance()).isEqualTo("instance-a");
            assertThat(peer.provider()).isEqualTo("sendgrid");
            assertThat(peer.state()).isEqualTo("unhealthy");
        });
        List<String> second = enqueue(queueB, "email", 40);

        awaitDeliveredOnceEach(second);
        assertThat(sendgridFake.getAllServeEvents())
                .as("B sent nothing to SendGrid while A's report stood")
                .noneMatch(e -> second.stream().anyMatch(e.getRequest().getBodyAsString()::contains));
        awaitDeliveredOnceEach(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queueA.url()) + messagesOn(queueB.url()) == 0);
        assertThat(messagesOn(queueA.deadLetterUrl()) + messagesOn(queueB.deadLetterUrl()))
                .isZero();
    }

    @Test
    void anInstanceHealsThroughItsOwnProbeWhenThePeerReportSaysHealthyAgain() {
        QueueRef queueA = newQueue("a");
        QueueRef queueB = newQueue("b");
        Pipeline a = pipeline("instance-a", queueA, Duration.ofMillis(300), false);
        Pipeline b = pipeline("instance-b", queueB, Duration.ofMillis(300), false);
        answer(sendgridFake, SENDGRID_PATH, 500, "{\"errors\":[{\"message\":\"internal error\"}]}");
        List<String> sent = new ArrayList<>(enqueue(queueA, "email", 30));
        await().atMost(Duration.ofSeconds(30)).until(() -> !"healthy".equals(state(a, "sendgrid")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !"healthy".equals(state(b, "sendgrid")));

        answer(sendgridFake, SENDGRID_PATH, 202, "");
        // Traffic on B alone: its probes (one at a time) close its breaker, though A stays unhealthy for want of
        // traffic.
        await("B heals").atMost(Duration.ofSeconds(30)).until(() -> {
            if ("healthy".equals(state(b, "sendgrid"))) {
                return true;
            }
            sent.addAll(enqueue(queueB, "email", 2));
            return false;
        });
        int before = calls(sendgridFake);
        sent.addAll(enqueue(queueB, "email", 60));
        awaitDeliveredOnceEach(sent);
        assertThat(calls(sendgridFake) - before)
                .as("SendGrid carries B's traffic again")
                .isGreaterThan(10);
        assertThat(state(b, "sendgrid"))
                .as("A's old report does not shut it again")
                .isEqualTo("healthy");
    }

    @Test
    void aPausedProviderGetsNoTrafficOnAnyInstanceAndTheOthersCarryIt() throws Exception {
        QueueRef queue = newQueue("shared");
        Pipeline a = pipeline("instance-a", queue, Duration.ofMillis(300), false);
        Pipeline b = pipeline("instance-b", queue, Duration.ofMillis(300), false);

        operator.pause(PauseScope.provider("sendgrid"), "test", "SendGrid maintenance window");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "paused".equals(state(a, "sendgrid")) && "paused".equals(state(b, "sendgrid")));
        List<String> whilePaused = enqueue(queue, "email", 60);
        awaitDeliveredOnceEach(whilePaused);
        assertThat(calls(sendgridFake))
                .as("a paused provider gets nothing, not even a probe")
                .isZero();
        assertThat(a.status().pauses()).singleElement().satisfies(p -> {
            assertThat(p.scope()).isEqualTo("provider");
            assertThat(p.name()).isEqualTo("sendgrid");
            assertThat(p.by()).isEqualTo("test");
            assertThat(p.reason()).isEqualTo("SendGrid maintenance window");
        });
        // B's first report reaches A on one of A's control reads; on a busy machine that can come
        // after the deliveries above, so wait for it rather than expect it already.
        await().atMost(Duration.ofSeconds(20)).until(() -> !a.status().peers().isEmpty());
        try (AdminServer admin = new AdminServer(
                "127.0.0.1", 0, (PrometheusMeterRegistry) metrics.get(a).registry(), a::status)) {
            JsonNode status = new ObjectMapper()
                    .readTree(URI.create("http://127.0.0.1:" + admin.port() + "/status")
                            .toURL());
            JsonNode sendgrid = StreamSupport.stream(
                            status.get("pools").get("email").spliterator(), false)
                    .filter(w -> w.get("name").asText().equals("sendgrid"))
                    .findFirst()
                    .orElseThrow();
            assertThat(sendgrid.get("state").asText()).isEqualTo("paused");
            assertThat(sendgrid.get("paused").asBoolean()).isTrue();
            assertThat(status.get("pauses").get(0).get("name").asText()).isEqualTo("sendgrid");
            assertThat(status.get("peers")).as("B's reports").isNotEmpty();
            assertThat(metrics.get(a)
                            .registry()
                            .get("herald.worker.paused")
                            .tag("worker", "sendgrid")
                            .gauge()
                            .value())
                    .isEqualTo(1.0);
        }

        operator.resume(PauseScope.provider("sendgrid"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "healthy".equals(state(a, "sendgrid")) && "healthy".equals(state(b, "sendgrid")));
        List<String> afterResume = enqueue(queue, "email", 60);
        awaitAllSettled(queue, afterResume);
        assertThat(calls(sendgridFake)).as("SendGrid takes its share again").isGreaterThan(5);
    }

    @Test
    void aPausedChannelIsNotReadAtAllAndResumingDrainsIt() {
        QueueRef queue = newQueue("shared");
        Pipeline a = pipeline("instance-a", queue, Duration.ofMillis(300), false);
        Pipeline b = pipeline("instance-b", queue, Duration.ofMillis(300), false);

        operator.pause(PauseScope.channel("email"), "test");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "paused".equals(state(a, "ses")) && "paused".equals(state(b, "sendgrid")));
        // A long poll that began before the pause may still be out: wait until none is.
        await("long polls begun before the pause end")
                .atMost(Duration.ofSeconds(30))
                .until(() -> receivesOut.get() == 0);
        double receivesA = receives(a);
        double receivesB = receives(b);
        List<String> sent = enqueue(queue, "email", 30);

        // For 2 s (two receive waits) neither instance reads the queue, sends or takes a message.
        await("nothing read while paused")
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(20))
                .until(() -> receives(a) == receivesA
                        && receives(b) == receivesB
                        && calls(sesFake) + calls(sendgridFake) == 0
                        && messagesOn(queue.url()) == 30);

        operator.resume(PauseScope.channel("email"));
        awaitAllSettled(queue, sent);
    }

    @Test
    void aPausedChannelsMessagesWaitWhileOtherChannelsOnTheSameQueueFlow() {
        QueueRef queue = newQueue("mixed");
        Pipeline a = pipelineWithEmailPaused(queue);

        List<String> emails = enqueue(queue, "email", 20);
        List<String> slacks = enqueue(queue, "slack", 20);

        awaitDeliveredOnceEach(slacks);
        // Parked emails come back every second (parkDelay) and are parked again: wait until they were
        // received, on average, more often than maxReceiveCount (5) would allow before dead-lettering.
        await("emails parked again and again").atMost(Duration.ofSeconds(60)).until(() -> parked(a) >= 20 * 6);
        assertThat(calls(sesFake) + calls(sendgridFake))
                .as("no email sent while paused")
                .isZero();
        assertThat(metrics.get(a)
                        .registry()
                        .find("herald.parked")
                        .tag("channel", "email")
                        .counter()
                        .count())
                .as("emails parked")
                .isPositive();
        assertThat(messagesOn(queue.deadLetterUrl()))
                .as("waiting never dead-letters")
                .isZero();

        operator.resume(PauseScope.channel("email"));
        awaitAllSettled(queue, emails);
    }

    @Test
    void anUnreachableStoreLeavesTheLastViewInForceAndIsLoggedOnce() {
        QueueRef queue = newQueue("outage");
        EmbeddedDynamoDb own = EmbeddedDynamoDb.start(0);
        HeraldConfig.Status s = HeraldConfig.defaults().status();
        try (DynamoDbClient ownClient = DynamoDbClients.create(
                        new HeraldConfig.Status(own.endpoint().toString(), s.region(), table, s.ttl()));
                CapturedLogs logs = new CapturedLogs()) {
            StatusTable.createIfMissing(ownClient, table);
            ControlStore ownStore = new DynamoControlStore(ownClient, table, CONTROL.staleAfter(), Clock.systemUTC());
            ownStore.pause(PauseScope.provider("sendgrid"), "test");
            Pipeline a = pipeline("instance-a", queue, Duration.ofMillis(300), false, ownStore);
            await().atMost(Duration.ofSeconds(30)).until(() -> "paused".equals(state(a, "sendgrid")));

            own.close();
            // A read of a stopped DynamoDB Local may hang until the client's call timeout (5 s) before it fails.
            await().atMost(Duration.ofSeconds(20)).until(() -> logs.text().contains("control store cannot be read"));
            List<String> sent = enqueue(queue, "email", 30);

            awaitDeliveredOnceEach(sent);
            assertThat(state(a, "sendgrid")).as("the last view stays in force").isEqualTo("paused");
            assertThat(calls(sendgridFake)).isZero();
            assertThat(logs.text()
                            .lines()
                            .filter(l -> l.contains("control store cannot be read"))
                            .count())
                    .as("said once, not per iteration")
                    .isEqualTo(1);
        } finally {
            own.close();
        }
    }

    /** Instance {@code instance}'s latest queue-age report for the queue, if it has a live one. */
    private Optional<QueueAge> queueAgeReport(String instance, QueueRef queue, List<QueueAge> reports) {
        return reports.stream()
                .filter(r -> r.instance().equals(instance) && r.queue().equals(queue.name()))
                .findFirst();
    }

    @Test
    void eachInstanceReportsTheOldestMessageItReceivedAndReadersShowTheQueuesAgeFromIt() {
        QueueRef queue = newQueue("age");
        // Both providers fail and a retry waits 60 s: the message stays in flight on the queue meanwhile.
        answer(sesFake, SES_PATH, 500, "{\"message\":\"internal error\"}");
        answer(sendgridFake, SENDGRID_PATH, 500, "{\"errors\":[{\"message\":\"internal error\"}]}");
        pipeline(
                "instance-a",
                queue,
                Duration.ofMinutes(5),
                false,
                store(),
                c -> c.withRetryDelays(Duration.ofSeconds(60), Duration.ofSeconds(60)));
        Instant sentBefore = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        enqueue(queue, "email", 1);
        Instant sentAfter = Instant.now();

        // The report of the interval that received it; the next ones say nothing was received.
        AtomicReference<List<QueueAge>> seen = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<QueueAge> reports = operator.queueAges();
            seen.set(reports);
            return queueAgeReport("instance-a", queue, reports)
                    .map(QueueAge::oldestSentAt)
                    .isPresent();
        });
        assertThat(queueAgeReport("instance-a", queue, seen.get()).orElseThrow().oldestSentAt())
                .as("the message's SentTimestamp")
                .isBetween(sentBefore, sentAfter);

        Instant asked = Instant.now();
        QueueStats.Depth depth =
                QueueStats.of(sqs, List.of(queue), seen.get(), asked).getFirst().queue();
        assertThat(depth.inFlight()).isEqualTo(1);
        assertThat(depth.oldestAgeFrom()).isEqualTo(QueueStats.AgeFrom.PIPELINE);
        assertThat(depth.oldestAgeSeconds())
                .isNotNull()
                .isGreaterThanOrEqualTo(Duration.between(sentAfter, asked).toSeconds());
    }

    @Test
    void aParkedMessageKeepsItsFirstSendSoAPauseShowsAsTheWaitItIs() {
        QueueRef queue = newQueue("parked-age");
        Pipeline a = pipelineWithEmailPaused(queue);
        Instant sentBefore = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        enqueue(queue, "email", 1);
        Instant sentAfter = Instant.now();

        // Parked twice: from here on only copies are received, each sent after sentAfter. A report
        // made after that covers an interval that began with the report before it.
        await().atMost(Duration.ofSeconds(30)).until(() -> parked(a) >= 2);
        Instant parkedTwice = Instant.now();
        AtomicReference<QueueAge> intervalStart = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            queueAgeReport("instance-a", queue, operator.queueAges())
                    .filter(r -> r.updatedAt().isAfter(parkedTwice))
                    .ifPresent(intervalStart::set);
            return intervalStart.get() != null;
        });
        AtomicReference<QueueAge> ofCopies = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            queueAgeReport("instance-a", queue, operator.queueAges())
                    .filter(r -> r.updatedAt().isAfter(intervalStart.get().updatedAt()) && r.oldestSentAt() != null)
                    .ifPresent(ofCopies::set);
            return ofCopies.get() != null;
        });

        assertThat(ofCopies.get().oldestSentAt())
                .as("the original's SentTimestamp, carried by the copy")
                .isBetween(sentBefore, sentAfter);
        operator.resume(PauseScope.channel("email"));
    }

    private double parked(Pipeline pipeline) {
        Counter counter = metrics.get(pipeline)
                .registry()
                .find("herald.parked")
                .tag("channel", "email")
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
