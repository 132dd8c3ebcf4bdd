package io.herald.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.provider.ses.SesConfig;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.ManualClock;
import io.herald.pipeline.provider.sendgrid.SendGridProvider;
import io.herald.pipeline.provider.ses.SesProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Failover with the real SES and SendGrid providers, each talking to a WireMock fake of its API, and a real SQS
 * (ElasticMQ): SendGrid starts answering 500, traffic moves to SES with SendGrid getting single probes, then SendGrid
 * heals and carries traffic again. Nothing is lost.
 */
class PipelineFailoverTest {

    private static final String SES_PATH = "/v2/email/outbound-emails";
    private static final String SENDGRID_PATH = "/v3/mail/send";

    private EmbeddedSqs embedded;
    private SqsClient sqs;
    private WireMockServer sesFake;
    private WireMockServer sendgridFake;
    private QueueRef queue;
    private Pipeline pipeline;
    /** The pipeline's clock: health's rest ends only when the test moves it, so probes are counted exactly. */
    private final ManualClock pipelineClock = ManualClock.atNow();

    private final Duration openWait = Duration.ofMillis(300);

    @BeforeEach
    void start() {
        embedded = EmbeddedSqs.start(0);
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        HeraldConfig.Sqs sqsConfig = new HeraldConfig.Sqs(
                embedded.endpoint().toString(),
                d.region(),
                List.of("failover"),
                d.deadLetterSuffix(),
                50,
                Duration.ofSeconds(30),
                d.maxConnections());
        sqs = SqsClients.create(sqsConfig);
        queue = SqsQueues.provision(sqs, sqsConfig).getFirst();

        sesFake = Fakes.start();
        sesFake.stubFor(post(urlEqualTo(SES_PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"MessageId\":\"ses-id\"}")));
        sendgridFake = Fakes.start();
        sendgridAnswers(500);

        // The providers' rate limits run on real time; only the pipeline's health is driven by hand.
        Clock clock = Clock.systemUTC();
        SesProvider ses = new SesProvider(
                new SesConfig(
                        true,
                        1,
                        Duration.ofSeconds(2),
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
                        Duration.ofSeconds(2),
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Fakes.baseUrl(sendgridFake),
                        Secret.of("SG.test-key"),
                        "herald@example.org",
                        SendGridConfig.EventWebhook.defaults()),
                clock);
        HeraldConfig.PipelineSettings config = HeraldConfig.defaults()
                .pipeline()
                .withSendTimeout(Duration.ofSeconds(3))
                .withReceiveWait(Duration.ofSeconds(1))
                .withHealth(3, 2, openWait)
                .withRetryDelays(Duration.ZERO, Duration.ZERO)
                .withAdminPort(-1);
        pipeline = new Pipeline(
                sqs,
                List.of(queue),
                List.of(new ConfiguredProvider(ses, 1), new ConfiguredProvider(sendgrid, 1)),
                config,
                sqsConfig,
                new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
                null,
                pipelineClock);
        pipeline.start();
    }

    @AfterEach
    void stop() {
        pipeline.close();
        sesFake.stop();
        sendgridFake.stop();
        sqs.close();
        embedded.close();
    }

    private void sendgridAnswers(int status) {
        sendgridFake.resetAll();
        sendgridFake.stubFor(post(urlEqualTo(SENDGRID_PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-Message-Id", "sg-id")
                        .withBody(status == 202 ? "" : "{\"errors\":[{\"message\":\"internal error\"}]}")));
    }

    private void enqueue(int n) {
        List<Envelope> envelopes = IntStream.range(0, n)
                .mapToObj(i -> Envelope.create(
                        "email",
                        "to" + i + "@example.org",
                        Content.of("Failover " + i, "Body"),
                        Origin.api("test"),
                        Instant.now()))
                .toList();
        new SqsProducer(sqs, new EnvelopeCodec()).send(queue.url(), envelopes);
    }

    private static int calls(WireMockServer fake, int status) {
        return (int) fake.getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() == status)
                .count();
    }

    private String sendgridState() {
        return pipeline.status().pools().get("email").stream()
                .filter(w -> w.name().equals("sendgrid"))
                .findFirst()
                .orElseThrow()
                .state();
    }

    @Test
    void trafficLeavesAFailingProviderProbesItOneAtATimeAndReturnsWhenItHeals() {
        enqueue(60);
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(sesFake, 200) == 60);
        assertThat(sendgridState()).isNotEqualTo("healthy");
        int failedBefore = calls(sendgridFake, 500);

        enqueue(60);
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(sesFake, 200) == 120);
        assertThat(calls(sendgridFake, 500)).as("no probe while it rests").isEqualTo(failedBefore);

        // Each rest that ends lets exactly one probe through; it fails and starts the next rest.
        for (int rest = 1; rest <= 2; rest++) {
            pipelineClock.advance(openWait);
            int delivered = calls(sesFake, 200);
            enqueue(20);
            int probes = rest;
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            calls(sesFake, 200) == delivered + 20 && calls(sendgridFake, 500) - failedBefore >= probes);
            assertThat(calls(sendgridFake, 500) - failedBefore).isEqualTo(rest);
        }

        sendgridAnswers(202);
        keepTrafficFlowingUntil(() -> {
            pipelineClock.advance(openWait);
            return "healthy".equals(sendgridState());
        });
        int sesBefore = calls(sesFake, 200);
        int sendgridBefore = calls(sendgridFake, 202);
        enqueue(100);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> calls(sesFake, 200) - sesBefore + calls(sendgridFake, 202) - sendgridBefore >= 100);
        assertThat(calls(sendgridFake, 202) - sendgridBefore)
                .as("SendGrid carries traffic again")
                .isGreaterThan(25);

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
        assertThat(messagesOn(queue.deadLetterUrl()))
                .as("nothing dead-lettered")
                .isZero();
    }

    private void keepTrafficFlowingUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            enqueue(2);
            return false;
        });
    }

    private int messagesOn(String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
