package io.herald.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.mattermost.MattermostConfig;
import io.herald.core.provider.telegram.TelegramConfig;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.provider.CapturedLogs;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.mattermost.MattermostProvider;
import io.herald.pipeline.provider.telegram.TelegramProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 15, findings 6 and 9, through the whole pipeline (ElasticMQ, the real providers, WireMock fakes speaking their
 * APIs): seven messages naming channels Mattermost does not have are dead- lettered as the messages' own fault while
 * the provider stays healthy (the breaker opens after three provider failures here); and a Telegram answer that echoes
 * the request URL, token URL-encoded, reaches the dead-letter queue (what {@code herald dlq list/show} prints), the
 * worker's last error (what /status and the dashboard show) and the log without the token.
 */
class PipelineEchoAndBadTargetsTest {

    private static final String TOKEN = "123456789:AAH-pipelineSecretToken_xyz0123456789";

    private EmbeddedSqs embedded;
    private SqsClient sqs;
    private WireMockServer mattermostFake;
    private WireMockServer telegramFake;
    private QueueRef queue;
    private Pipeline pipeline;

    @BeforeEach
    void start() {
        embedded = EmbeddedSqs.start(0);
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        HeraldConfig.Sqs sqsConfig = new HeraldConfig.Sqs(
                embedded.endpoint().toString(),
                d.region(),
                List.of("issue15"),
                d.deadLetterSuffix(),
                5,
                Duration.ofSeconds(30),
                d.maxConnections());
        sqs = SqsClients.create(sqsConfig);
        queue = SqsQueues.provision(sqs, sqsConfig).getFirst();

        mattermostFake = Fakes.start();
        mattermostFake.stubFor(post(urlPathMatching("/hooks/.*"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"web.incoming_webhook.channel.app_error\","
                                + "\"message\":\"Couldn't find the channel.\","
                                + "\"detailed_error\":\"\",\"request_id\":\"r1\",\"status_code\":404}")));
        telegramFake = Fakes.start();
        String echoed = URLEncoder.encode(
                Fakes.baseUrl(telegramFake) + "/bot" + TOKEN + "/sendMessage", StandardCharsets.UTF_8);
        telegramFake.stubFor(post(urlPathMatching("/bot.*/sendMessage"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found ("
                                + echoed + ")\"}")));

        Clock clock = Clock.systemUTC();
        Duration t = Duration.ofSeconds(2);
        MattermostProvider mattermost = new MattermostProvider(
                new MattermostConfig(
                        true,
                        1,
                        t,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Secret.of(Fakes.baseUrl(mattermostFake) + "/hooks/xsecrethookid1234567")),
                clock);
        TelegramProvider telegram = new TelegramProvider(
                new TelegramConfig(
                        true,
                        1,
                        t,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Fakes.baseUrl(telegramFake),
                        Secret.of(TOKEN),
                        Duration.ZERO),
                clock);
        HeraldConfig.PipelineSettings config = HeraldConfig.defaults()
                .pipeline()
                .withSendTimeout(Duration.ofSeconds(3))
                .withReceiveWait(Duration.ofSeconds(1))
                .withHealth(3, 2, Duration.ofSeconds(30))
                .withRetryDelays(Duration.ZERO, Duration.ZERO)
                .withAdminPort(-1);
        pipeline = new Pipeline(
                sqs,
                List.of(queue),
                List.of(new ConfiguredProvider(mattermost, 1), new ConfiguredProvider(telegram, 1)),
                config,
                sqsConfig,
                new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
                null,
                clock);
    }

    @AfterEach
    void stop() {
        pipeline.close();
        mattermostFake.stop();
        telegramFake.stop();
        sqs.close();
        embedded.close();
    }

    @Test
    void badTargetsAreTheMessagesFaultAndEchoedSecretsReachNoOutput() {
        List<Envelope> envelopes = new ArrayList<>(IntStream.range(0, 7)
                .mapToObj(i -> Envelope.create(
                        "mattermost", "no-such-channel-" + i, Content.of("t", "x"), Origin.api("test"), Instant.now()))
                .toList());
        envelopes.add(Envelope.create("telegram", "-100999", Content.of("t", "x"), Origin.api("test"), Instant.now()));
        new SqsProducer(sqs, new EnvelopeCodec()).send(queue.url(), envelopes);

        try (CapturedLogs logs = new CapturedLogs()) {
            pipeline.start();
            List<Message> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.addAll(sqs.receiveMessage(b -> b.queueUrl(queue.deadLetterUrl())
                                .maxNumberOfMessages(10)
                                .waitTimeSeconds(1)
                                .messageAttributeNames("All"))
                        .messages());
                return dead.size() >= 8;
            });

            List<String> reasons = dead.stream()
                    .map(m ->
                            m.messageAttributes().get(MessageAttributes.REASON).stringValue())
                    .toList();
            assertThat(reasons)
                    .hasSize(8)
                    .filteredOn(r -> r.startsWith("Mattermost 404"))
                    .hasSize(7);
            List<Worker.WorkerStatus> workers = new ArrayList<>();
            pipeline.status().pools().values().forEach(workers::addAll);
            Worker.WorkerStatus mattermost = workers.stream()
                    .filter(w -> w.name().equals("mattermost"))
                    .findFirst()
                    .orElseThrow();
            assertThat(mattermost.state()).isEqualTo("healthy");
            assertThat(mattermost.rejected()).isEqualTo(7);
            assertThat(mattermost.providerDown()).isZero();

            String secretPart = TOKEN.substring(10);
            List<String> forms = List.of(
                    TOKEN,
                    URLEncoder.encode(TOKEN, StandardCharsets.UTF_8),
                    secretPart,
                    URLEncoder.encode(TOKEN, StandardCharsets.UTF_8).replace("%3A", "%3a"));
            String telegramReason = reasons.stream()
                    .filter(r -> r.startsWith("Telegram"))
                    .findFirst()
                    .orElseThrow();
            assertThat(telegramReason).contains("chat not found").contains("(redacted)");
            String everything = String.join("\n", reasons) + "\n" + workers + "\n" + logs.heraldText();
            for (String form : forms) {
                assertThat(everything).doesNotContain(form);
            }
        }
    }
}
