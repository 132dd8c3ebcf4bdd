package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import io.herald.core.status.StatusStore;
import io.herald.pipeline.AdminServer;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.herald.pipeline.callback.CallbackDeliverer;
import io.herald.pipeline.pacing.DeferralPacing;
import io.herald.pipeline.pacing.DomainPacer;
import io.herald.pipeline.provider.FeedbackIntake;
import io.herald.pipeline.provider.Providers;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Run the pipeline: read the SQS queues named in the configuration and deliver each message "
                + "through its channel's provider; also the feedback intakes the providers' blocks switch on (a queue "
                + "of bounces and complaints). The queues must exist.")
final class PipelineCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        HeraldConfig cfg = config.load();
        // The process meters live as long as the process: nothing to close.
        PipelineMetrics metrics = Services.metrics(meters -> {});
        Services.Queues queues = Services.connectToQueues(cfg, metrics.sqsRequestCounter());
        StatusStores stores;
        try {
            // The table must exist (the CDK stack creates it); the pipeline records each delivery state in it.
            stores = StatusStores.open(cfg, false, Clock.systemUTC(), List.of(metrics.statusRequestCounter()));
        } catch (RuntimeException e) {
            queues.close();
            throw e;
        }
        List<FeedbackIntake> intakes;
        // Set as soon as it is built, so a failure opening a feedback intake after it still closes it.
        Optional<CallbackDeliverer> openedCallbacks = Optional.empty();
        // One pacer for the sends and for the deferrals SES reports to this process.
        DomainPacer pacer = new DomainPacer(cfg.pacing(), Clock.systemUTC());
        StatusStore status;
        try {
            String callbackQueue = cfg.callbacks().enabled() ? CallbackWiring.queueUrl(cfg, queues.sqs(), false) : null;
            status = CallbackWiring.statusStore(cfg, stores.status(), queues.sqs(), callbackQueue, metrics.registry());
            openedCallbacks =
                    CallbackWiring.deliverer(cfg, queues.sqs(), callbackQueue, stores.status(), metrics.registry());
            // The providers' feedback intakes their blocks switch on (e.g. a queue of bounces); each must exist too.
            intakes = Providers.feedbackIntakes(
                    cfg,
                    new FeedbackIntake.Context(
                            queues.sqs(),
                            cfg,
                            new DeferralPacing(
                                    stores.feedbackRecorder(
                                            cfg, status, stores.suppressions(), metrics.feedback(), Clock.systemUTC()),
                                    pacer),
                            metrics.registry()));
        } catch (RuntimeException e) {
            openedCallbacks.ifPresent(CallbackDeliverer::close);
            stores.close();
            queues.close();
            throw e;
        }
        Optional<CallbackDeliverer> callbacks = openedCallbacks;
        Pipeline pipeline = new Pipeline(
                queues.sqs(),
                queues.refs(),
                Providers.fromConfig(cfg),
                cfg.pipeline(),
                cfg.sqs(),
                metrics,
                status,
                Clock.systemUTC(),
                stores.control(),
                Pipeline.defaultInstanceName(),
                cfg.control(),
                stores.suppressions(),
                pacer);
        pipeline.start();
        intakes.forEach(FeedbackIntake::start);
        callbacks.ifPresent(CallbackDeliverer::start);
        Optional<AdminServer> admin;
        try {
            admin = Services.startAdmin(
                    cfg.pipeline(),
                    metrics,
                    pipeline,
                    List.of(StatusStores.sqsReadiness(queues.sqs(), queues.refs()), stores.readiness()));
        } catch (RuntimeException e) {
            intakes.forEach(FeedbackIntake::close);
            callbacks.ifPresent(CallbackDeliverer::close);
            pipeline.close();
            stores.close();
            queues.close();
            throw e;
        }
        System.out.println("Herald pipeline reading " + queues.refs().size() + " queue(s)"
                + intakes.stream().map(i -> " and " + i.describe()).collect(Collectors.joining())
                + admin.map(a -> "; metrics and status on http://"
                                + cfg.pipeline().adminHost() + ":" + a.port())
                        .orElse(""));
        Services.runUntilStopped("pipeline", () -> {
            admin.ifPresent(AdminServer::close);
            intakes.forEach(FeedbackIntake::close);
            callbacks.ifPresent(CallbackDeliverer::close);
            pipeline.close();
            stores.close();
            queues.close();
        });
        return 0;
    }
}
