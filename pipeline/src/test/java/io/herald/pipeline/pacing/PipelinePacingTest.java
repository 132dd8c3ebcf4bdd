package io.herald.pipeline.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.smtp.SmtpConfig;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.ManualClock;
import io.herald.pipeline.provider.smtp.ScriptedSmtpServer;
import io.herald.pipeline.provider.smtp.SmtpProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Per-domain pacing through the whole pipeline, against real engines: ElasticMQ in-process spoken to by the AWS SDK,
 * and the real {@link SmtpProvider} talking SMTP to a {@link ScriptedSmtpServer} on 127.0.0.1 that defers one domain
 * (GreenMail cannot answer 421 for one domain and 250 for another). The pacer's clock is a {@link ManualClock} that the
 * test moves: sends per domain are counted within its steps, never against time that passed.
 */
class PipelinePacingTest {

    private static final String SLOW = "slow.example";
    private static final String FAST = "fast.example";
    private static final String GONE = "gone.example";

    private final ManualClock pacerClock = new ManualClock(Instant.parse("2026-12-07T22:00:00Z"));
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile boolean slowDefers = true;

    private EmbeddedSqs embeddedSqs;
    private SqsClient admin;
    private SqsClient sqs;
    private QueueRef queue;
    private ScriptedSmtpServer server;
    private DomainPacer pacer;
    private Pipeline pipeline;

    @BeforeEach
    void start() throws Exception {
        embeddedSqs = EmbeddedSqs.start(0);
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        HeraldConfig.Sqs sqsConfig = new HeraldConfig.Sqs(
                embeddedSqs.endpoint().toString(),
                d.region(),
                List.of("pacing-test"),
                d.deadLetterSuffix(),
                20,
                Duration.ofSeconds(30),
                d.maxConnections());
        admin = SqsClients.create(sqsConfig);
        queue = SqsQueues.provision(admin, sqsConfig).getFirst();
        server = new ScriptedSmtpServer(
                address -> {
                    if (address.endsWith("@" + GONE)) {
                        return "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown";
                    }
                    if (address.endsWith("@" + SLOW) && slowDefers) {
                        return "421 4.7.0 mx." + SLOW + " Too many messages from your IP, try again later";
                    }
                    return "250 2.1.5 OK";
                },
                "250 2.0.0 Ok: queued");
        SmtpProvider smtp = new SmtpProvider(
                new SmtpConfig(
                        true,
                        1,
                        Duration.ofSeconds(10),
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        "127.0.0.1",
                        server.port(),
                        "none",
                        "",
                        Secret.of(""),
                        "herald@example.org"),
                (SSLSocketFactory) SSLSocketFactory.getDefault(),
                Clock.systemUTC());
        // slow.example may take 4 a second until it defers; fast.example is not paced at all.
        pacer = new DomainPacer(
                new HeraldConfig.Pacing("none", List.of(SLOW + "=4/s"), "1/s", Duration.ofMinutes(1)), pacerClock);
        sqs = SqsClients.create(sqsConfig);
        pipeline = new Pipeline(
                sqs,
                List.of(queue),
                List.of(new ConfiguredProvider(smtp, 1)),
                HeraldConfig.defaults()
                        .pipeline()
                        .withReceiveWait(Duration.ofSeconds(1))
                        .withAdminPort(-1)
                        .withRetryDelays(Duration.ZERO, Duration.ZERO),
                sqsConfig,
                new PipelineMetrics(registry),
                null,
                Clock.systemUTC(),
                null,
                "test",
                HeraldConfig.Control.defaults(),
                null,
                pacer);
        pipeline.start();
    }

    @AfterEach
    void stop() {
        pipeline.close();
        sqs.close();
        admin.close();
        server.close();
        embeddedSqs.close();
    }

    @Test
    void aDomainThatDefersIsSlowedWhileAnotherGoesOnAndNothingIsLost() {
        List<Envelope> slow = new ArrayList<>();
        List<Envelope> fast = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            slow.add(email("user" + i + "@" + SLOW));
            fast.add(email("user" + i + "@" + FAST));
        }
        Envelope gone = email("nobody@" + GONE);

        // Step 0 of the pacer's clock: slow.example has its 4 tokens and no more.
        enqueue(slow);
        enqueue(fast);
        enqueue(List.of(gone));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> server.messagesAccepted() == 8 && paced() >= 4 && messagesOn(queue.deadLetterUrl()) == 1);
        assertThat(server.rcptsTo(FAST)).as("fast.example: every email at once").isEqualTo(8);
        assertThat(server.rcptsTo(SLOW))
                .as("slow.example: at most its 4 tokens of this step, however often the messages come back")
                .isBetween(1, 4);
        assertThat(pacer.currentRate(SLOW)).as("halved by its deferrals").isLessThanOrEqualTo(2.0);
        assertThat(pacer.currentRate(FAST)).isInfinite();
        assertThat(server.rcptsTo(GONE))
                .as("a permanent refusal is never retried")
                .isEqualTo(1);
        // The held emails wait on the queue, none lost. Awaited, not read once: a held email is parked as a delayed
        // copy and then deleted, so between the two (and again each time it comes back to a pacer whose clock stands
        // still) the queue briefly holds both.
        await().atMost(Duration.ofSeconds(60)).until(() -> messagesOn(queue.url()) == 8);

        // The receiver takes mail again; an hour of the pacer's clock later its rate is back, and every held email
        // goes out as the clock moves on (one step per poll).
        slowDefers = false;
        pacerClock.advance(Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    pacerClock.advance(Duration.ofSeconds(1));
                    return server.messagesAccepted() == 16;
                });
        assertThat(pacer.currentRate(SLOW)).isEqualTo(4.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesOn(queue.url()) == 0);
        assertThat(messagesOn(queue.deadLetterUrl())).as("only the refused one").isEqualTo(1);
    }

    private static Envelope email(String to) {
        return Envelope.create("email", to, Content.of("Subject", "Body"), Origin.api("test"), Instant.now());
    }

    private void enqueue(List<Envelope> envelopes) {
        List<EnqueueResult> results = new SqsProducer(admin, new EnvelopeCodec()).send(queue.url(), envelopes);
        assertThat(results).allMatch(r -> r instanceof EnqueueResult.Enqueued);
    }

    private double paced() {
        return registry.find("herald.paced").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** Visible, in flight and delayed (a held email is a delayed copy): every message the queue still has. */
    private int messagesOn(String url) {
        Map<QueueAttributeName, String> attributes = admin.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }
}
