package io.herald.pipeline;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.sqs.EmbeddedSqs;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.outbox.OutboxProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline against a real SQS (ElasticMQ in-process, spoken to by the AWS SDK). Providers
 * here are the real outbox provider, or small in-process providers that return a chosen outcome:
 * the {@link Provider} interface is the seam, and the HTTP providers with their fakes come with
 * the providers' own tests.
 */
class PipelineTest {

    private static EmbeddedSqs embedded;
    private static SqsClient sqs;
    private static int queueCounter;

    @TempDir
    Path outbox;

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private QueueRef queue;
    private Pipeline pipeline;

    @BeforeAll
    static void startSqs() {
        embedded = EmbeddedSqs.start(0);
        sqs = SqsClients.create(sqsConfig(List.of("unused")));
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        embedded.close();
    }

    private static HeraldConfig.Sqs sqsConfig(List<String> queues) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(embedded.endpoint().toString(), d.region(), queues, d.deadLetterSuffix(),
                d.maxReceiveCount(), Duration.ofSeconds(30), d.maxConnections());
    }

    @BeforeEach
    void freshQueue() {
        // A queue per test, so one test's leftovers cannot satisfy another's assertions.
        queue = SqsQueues.provision(sqs, sqsConfig(List.of("pipeline-test-" + (++queueCounter)))).getFirst();
    }

    @AfterEach
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private void startPipeline(Provider... providers) {
        startPipeline(Duration.ofSeconds(1), providers);
    }

    private void startPipeline(Duration receiveWait, Provider... providers) {
        pipeline = new Pipeline(sqs, List.of(queue), List.of(providers), codec,
                new HeraldConfig.Pipeline(Duration.ofMillis(500), receiveWait));
        pipeline.start();
    }

    private Envelope envelope(String channel, String target) {
        return Envelope.create(channel, target, Content.of("Subject", "Body"), Origin.api("test"), Instant.now());
    }

    private void enqueue(Envelope e) {
        EnqueueResult result = new SqsProducer(sqs, codec).send(queue.url(), e);
        assertThat(result).isInstanceOf(EnqueueResult.Enqueued.class);
    }

    @Test
    void deliveredMessageBecomesAnEmlFileAndLeavesTheQueue() {
        startPipeline(new OutboxProvider(outbox));
        Envelope e = envelope("email", "to@example.org");
        enqueue(e);

        await(() -> Files.exists(outbox.resolve(e.id() + ".eml")));
        await(() -> messagesOnQueue(queue.url()) == 0);
    }

    @Test
    void malformedMessageGoesToTheDeadLetterQueueWithItsReason() {
        startPipeline(new OutboxProvider(outbox));
        sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("this is not JSON"));

        Message dead = receiveOne(queue.deadLetterUrl());

        assertThat(dead.body()).isEqualTo("this is not JSON");
        assertThat(dead.messageAttributes().get(MessageSettler.REASON_ATTRIBUTE).stringValue())
                .startsWith("malformed message: not valid JSON");
        assertThat(dead.messageAttributes().get(MessageSettler.SOURCE_QUEUE_ATTRIBUTE).stringValue()).isEqualTo(queue.name());
        await(() -> messagesOnQueue(queue.url()) == 0);
    }

    @Test
    void messageForAChannelWithoutAProviderIsDeadLetteredNotDropped() {
        startPipeline(new OutboxProvider(outbox));
        enqueue(envelope("telegram", "123456"));

        Message dead = receiveOne(queue.deadLetterUrl());

        assertThat(codec.decode(dead.body()).channel()).isEqualTo("telegram");
        assertThat(dead.messageAttributes().get(MessageSettler.REASON_ATTRIBUTE).stringValue())
                .isEqualTo("no provider configured for channel 'telegram'");
    }

    @Test
    void rejectedMessageIsDeadLetteredWithTheProvidersReason() {
        startPipeline(new ScriptedProvider(attempt -> new Outcome.Rejected("mailbox does not exist")));
        enqueue(envelope("email", "nobody@example.org"));

        Message dead = receiveOne(queue.deadLetterUrl());

        assertThat(dead.messageAttributes().get(MessageSettler.REASON_ATTRIBUTE).stringValue())
                .isEqualTo("mailbox does not exist");
    }

    @Test
    void providerDownLeavesTheMessageOnTheQueueUntilItCanBeDelivered() {
        ScriptedProvider provider = new ScriptedProvider(attempt -> attempt < 3
                ? new Outcome.ProviderDown("account paused")
                : new Outcome.Delivered("ok"));
        startPipeline(provider);
        enqueue(envelope("email", "to@example.org"));

        await(() -> provider.delivered.get() == 1);
        assertThat(provider.attempts.get()).isEqualTo(3);
        await(() -> messagesOnQueue(queue.url()) == 0);
        assertThat(messagesOnQueue(queue.deadLetterUrl())).isZero();
    }

    @Test
    void sendThatOutlivesTheSendTimeoutIsAbandonedAndRetried() {
        ScriptedProvider provider = new ScriptedProvider(attempt -> {
            if (attempt == 1) {
                try {
                    Thread.sleep(Duration.ofSeconds(3));
                } catch (InterruptedException abandoned) {
                    return new Outcome.Retry(Duration.ZERO, "interrupted");
                }
            }
            return new Outcome.Delivered("ok");
        });
        startPipeline(provider);
        enqueue(envelope("email", "to@example.org"));

        await(() -> provider.delivered.get() >= 1);
        assertThat(provider.attempts.get()).isGreaterThanOrEqualTo(2);
        await(() -> messagesOnQueue(queue.url()) == 0);
    }

    @Test
    void closeWaitsForSendsInFlightAndSettlesThem() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        ScriptedProvider provider = new ScriptedProvider(attempt -> {
            sending.countDown();
            sleep(Duration.ofMillis(300));
            return new Outcome.Delivered("ok");
        });
        startPipeline(provider);
        enqueue(envelope("email", "to@example.org"));
        assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();

        pipeline.close();
        pipeline = null;

        assertThat(provider.delivered.get()).isEqualTo(1);
        assertThat(messagesOnQueue(queue.url())).isZero();
    }

    @Test
    void closeWhileIdleReturnsPromptlyDespiteTheLongPoll() {
        startPipeline(Duration.ofSeconds(20), new OutboxProvider(outbox));
        sleep(Duration.ofMillis(500));
        long start = System.nanoTime();

        pipeline.close();
        pipeline = null;

        // Generous bound for a noisy machine: it only has to beat the 20 s long poll it interrupts.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    /** Visible plus in-flight messages: zero means every message was settled. */
    private static int messagesOnQueue(String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static Message receiveOne(String url) {
        List<Message> got = new ArrayList<>();
        await(() -> {
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).messageAttributeNames("All")).messages());
            return !got.isEmpty();
        });
        assertThat(got).hasSize(1);
        return got.getFirst();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An email provider whose answer for the n-th attempt (1-based) the test chooses. */
    private static final class ScriptedProvider implements Provider {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger delivered = new AtomicInteger();
        private final Function<Integer, Outcome> script;

        ScriptedProvider(Function<Integer, Outcome> script) {
            this.script = script;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public String channel() {
            return "email";
        }

        @Override
        public Outcome send(Envelope envelope) {
            Outcome outcome = script.apply(attempts.incrementAndGet());
            if (outcome instanceof Outcome.Delivered) {
                delivered.incrementAndGet();
            }
            return outcome;
        }
    }
}
