package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Run the pipeline: read the SQS queues named in the configuration and deliver each message "
                + "through its channel's provider. The queues must exist.")
final class PipelineCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        HeraldConfig cfg = config.load();
        SqsClient sqs = SqsClients.create(cfg.sqs());
        List<QueueRef> queues;
        try {
            queues = SqsQueues.resolve(sqs, cfg.sqs());
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
        Pipeline pipeline = new Pipeline(sqs, queues, Services.providers(cfg), new EnvelopeCodec(), cfg.pipeline());
        pipeline.start();
        System.out.println("Herald pipeline reading " + queues.size() + " queue(s)");
        Services.runUntilStopped("pipeline", () -> {
            pipeline.close();
            sqs.close();
        });
        return 0;
    }
}
