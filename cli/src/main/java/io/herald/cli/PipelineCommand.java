package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import io.herald.pipeline.AdminServer;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.herald.pipeline.provider.Providers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.Optional;
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
        PipelineMetrics metrics = Services.metrics();
        Services.Queues queues = Services.connectToQueues(cfg, metrics.sqsRequestCounter());
        Pipeline pipeline = new Pipeline(queues.sqs(), queues.refs(), Providers.fromConfig(cfg), cfg.pipeline(), cfg.sqs(),
                metrics, null, Clock.systemUTC());
        pipeline.start();
        Optional<AdminServer> admin;
        try {
            admin = Services.startAdmin(cfg.pipeline(), metrics, pipeline);
        } catch (RuntimeException e) {
            pipeline.close();
            queues.close();
            throw e;
        }
        System.out.println("Herald pipeline reading " + queues.refs().size() + " queue(s)"
                + admin.map(a -> "; metrics and status on http://" + cfg.pipeline().adminHost() + ":" + a.port()).orElse(""));
        Services.runUntilStopped("pipeline", () -> {
            admin.ifPresent(AdminServer::close);
            pipeline.close();
            queues.close();
        });
        return 0;
    }
}
