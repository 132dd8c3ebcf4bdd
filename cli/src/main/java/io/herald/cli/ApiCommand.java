package io.herald.cli;

import io.herald.api.HeraldApi;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.SqsProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Run the HTTP API (POST /email/send) against the SQS queues named in the configuration. "
                + "The queues must exist (the CDK stack creates them; `herald local` creates its own).")
final class ApiCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        HeraldConfig cfg = config.load();
        Services.Queues queues = Services.connectToQueues(cfg);
        HeraldApi api = new HeraldApi(cfg.api(), new SqsProducer(queues.sqs(), new EnvelopeCodec()), queues.refs(),
                Clock.systemUTC());
        AutoCloseable service = () -> {
            api.close();
            queues.close();
        };
        try {
            Services.startApi(api, cfg.api());
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        System.out.println("Herald API listening on http://" + cfg.api().host() + ":" + api.port());
        Services.runUntilStopped("API", service);
        return 0;
    }
}
