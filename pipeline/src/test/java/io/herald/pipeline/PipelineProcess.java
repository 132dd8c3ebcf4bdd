package io.herald.pipeline;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Envelope;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A pipeline in a process of its own, for the crash drills: it delivers through a provider that appends each envelope
 * id to a file (fsynced before it answers "delivered", as a real provider's acceptance is durable) and stops on SIGTERM
 * through a shutdown hook, as {@code herald pipeline} does.
 *
 * <p>Arguments: SQS endpoint, queue name, visibility seconds, file of started sends, file of deliveries, milliseconds
 * per send, shutdown deadline in milliseconds.
 */
public final class PipelineProcess {

    private PipelineProcess() {}

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String queueName = args[1];
        Duration visibility = Duration.ofSeconds(Long.parseLong(args[2]));
        Path started = Path.of(args[3]);
        Path delivered = Path.of(args[4]);
        long sendMillis = Long.parseLong(args[5]);
        Duration deadline = Duration.ofMillis(Long.parseLong(args[6]));

        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        HeraldConfig.Sqs sqsConfig = new HeraldConfig.Sqs(
                endpoint,
                d.region(),
                List.of(queueName),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                visibility,
                d.maxConnections());
        HeraldConfig.PipelineSettings defaults = HeraldConfig.defaults().pipeline();
        HeraldConfig.PipelineSettings config = new HeraldConfig.PipelineSettings(
                visibility.minusSeconds(1),
                Duration.ofSeconds(1),
                defaults.maxReadersPerQueue(),
                100,
                20,
                defaults.unhealthyThreshold(),
                defaults.healthyThreshold(),
                defaults.openWait(),
                Duration.ZERO,
                Duration.ZERO,
                deadline,
                "127.0.0.1",
                -1,
                defaults.statusFlushInterval(),
                defaults.sendingStatusAfter(),
                defaults.receiveLinger(),
                defaults.settleLinger(),
                defaults.depthInterval());

        SqsClient sqs = SqsClients.create(sqsConfig);
        List<QueueRef> queues = SqsQueues.resolve(sqs, sqsConfig);
        Provider recording = new FileRecordingProvider(started, delivered, sendMillis);
        Pipeline pipeline = new Pipeline(
                sqs,
                queues,
                List.of(new ConfiguredProvider(recording, 1)),
                config,
                sqsConfig,
                new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
                null,
                Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            sqs.close();
        }));
        pipeline.start();
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    private static final class FileRecordingProvider implements Provider {
        private final Path started;
        private final Path delivered;
        private final long sendMillis;

        FileRecordingProvider(Path started, Path delivered, long sendMillis) {
            this.started = started;
            this.delivered = delivered;
            this.sendMillis = sendMillis;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String channel() {
            return "email";
        }

        @Override
        public Outcome send(Envelope envelope) {
            try {
                append(started, envelope.id());
                Thread.sleep(sendMillis);
                append(delivered, envelope.id());
                return new Outcome.Delivered(envelope.id());
            } catch (InterruptedException e) {
                return new Outcome.Retry(Duration.ZERO, "interrupted");
            } catch (IOException e) {
                return new Outcome.ProviderDown(e.getMessage());
            }
        }

        private static synchronized void append(Path file, String id) throws IOException {
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                channel.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
        }
    }
}
