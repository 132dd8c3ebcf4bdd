package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
        Services.Queues queues = Services.connectToQueues(cfg);
        Pipeline pipeline = new Pipeline(queues.sqs(), queues.refs(), Services.providers(cfg), new EnvelopeCodec(),
                cfg.pipeline());
        pipeline.start();
        System.out.println("Herald pipeline reading " + queues.refs().size() + " queue(s)");
        Services.runUntilStopped("pipeline", () -> {
            pipeline.close();
            queues.close();
        });
        return 0;
    }
}
