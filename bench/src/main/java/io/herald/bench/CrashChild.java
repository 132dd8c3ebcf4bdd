package io.herald.bench;

import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.sendgrid.SendGridProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The pipeline the crash drill kills: a process of its own delivering one queue through the real SendGrid provider to
 * the drill's fake of the SendGrid API. It stops gracefully, as {@code herald pipeline} does on SIGTERM, when the drill
 * closes its stdin ({@link ChildJvm}), and not at all when the drill kills it. Arguments: SQS endpoint, queue name,
 * visibility seconds, send timeout seconds, SendGrid base URL.
 */
public final class CrashChild {

    private CrashChild() {}

    static HeraldConfig.PipelineSettings pipelineConfig(Duration sendTimeout) {
        return HeraldConfig.defaults()
                .pipeline()
                .withSendTimeout(sendTimeout)
                .withAdminPort(-1)
                // Only shortens the last long poll at shutdown; under load every receive returns at once.
                .withReceiveWait(Duration.ofSeconds(1));
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String queueName = args[1];
        Duration visibility = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration sendTimeout = Duration.ofSeconds(Long.parseLong(args[3]));
        String sendgridUrl = args[4];

        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        HeraldConfig.Sqs sqsConfig = new HeraldConfig.Sqs(
                endpoint,
                d.region(),
                List.of(queueName),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                visibility,
                d.maxConnections());
        SqsClient sqs = SqsClients.create(sqsConfig);
        List<QueueRef> queues = SqsQueues.resolve(sqs, sqsConfig);
        SendGridProvider sendgrid = EmailApiFake.sendGridProvider(sendgridUrl, sendTimeout, Clock.systemUTC());
        Pipeline pipeline = new Pipeline(
                sqs,
                queues,
                List.of(new ConfiguredProvider(sendgrid, 1)),
                pipelineConfig(sendTimeout),
                sqsConfig,
                new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
                null,
                Clock.systemUTC());
        pipeline.start();
        System.out.println("ready");
        System.out.flush();
        ChildJvm.awaitParentGone();
        pipeline.close();
        sqs.close();
    }
}
