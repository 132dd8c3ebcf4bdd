package io.herald.cli;

import io.herald.api.HeraldApi;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.List;
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
        SqsClient sqs = SqsClients.create(cfg.sqs());
        List<QueueRef> queues;
        try {
            queues = SqsQueues.resolve(sqs, cfg.sqs());
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
        HeraldApi api = new HeraldApi(cfg.api(), new SqsProducer(sqs, new EnvelopeCodec()), queues, Clock.systemUTC());
        AutoCloseable service = () -> {
            api.close();
            sqs.close();
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
