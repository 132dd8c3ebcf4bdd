package io.herald.cli;

import io.herald.api.ApiAccess;
import io.herald.api.HeraldApi;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.feedback.DynamoFeedbackEventIds;
import io.herald.core.feedback.FeedbackMeters;
import io.herald.core.metrics.ProcessMeters;
import io.herald.core.preferences.DynamoChatLinks;
import io.herald.core.preferences.DynamoLinkNonces;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.status.StatusStore;
import io.herald.pipeline.Pipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "api",
        mixinStandardHelpOptions = true,
        description = {
            "Run the HTTP API (POST /email/send, POST /v1/notifications, GET /v1/notifications/{id}, "
                    + "GET /v1/admin/overview, the web page and dashboard at /) against the SQS queues "
                    + "and the status table named in the configuration.",
            "The queues and the table must exist (the CDK stack creates them; `herald local` creates its own). "
                    + "Without api.keys it refuses to start unless api.open is true."
        })
final class ApiCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        HeraldConfig cfg = config.load();
        // Checked before connecting anywhere: an API that would run open by accident must not start at all.
        ApiAccess access = ApiAccess.fromConfig(cfg.api(), false);
        Services.Queues queues = Services.connectToQueues(cfg);
        StatusStores stores;
        try {
            stores = StatusStores.open(cfg, false, Clock.systemUTC());
        } catch (RuntimeException e) {
            queues.close();
            throw e;
        }
        StatusStore status = stores.status();
        PrometheusMeterRegistry registry = null;
        AutoCloseable processMeters = () -> {};
        if (cfg.callbacks().enabled()) {
            // The callbacks' counters share the API's /metrics, so the registry is made here rather than by the API.
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            processMeters = ProcessMeters.bindTo(registry);
            try {
                status = CallbackWiring.statusStore(
                        cfg, status, queues.sqs(), CallbackWiring.queueUrl(cfg, queues.sqs(), false), registry);
            } catch (RuntimeException e) {
                stores.close();
                queues.close();
                throw e;
            }
        }
        HeraldApi.Builder builder = Services.unsubscribe(
                HeraldApi.builder(cfg.api(), new SqsProducer(queues.sqs(), new EnvelopeCodec()), queues.refs()),
                cfg,
                stores);
        CallbackWiring.configureApi(cfg, builder);
        AutoCloseable meters = processMeters;
        StatusStore feedbackStatus = status;
        HeraldApi api = builder.meterRegistry(registry)
                .statusStore(status)
                .controlStore(stores.control())
                .suppressions(stores.suppressions())
                .preferences(stores.preferences(), cfg.providers().channelsWithProvider())
                .selfService(
                        new DynamoLinkNonces(stores.dynamo(), stores.table()),
                        new DynamoChatLinks(stores.dynamo(), stores.table()),
                        cfg.mailprog().mailDomain(),
                        Services.linkSender(cfg))
                .idempotencyStore(stores.idempotency())
                .feedbackWebhooks(
                        cfg.providers().feedbackWebhooks(),
                        apiMeters -> stores.webhookFeedback(
                                cfg,
                                feedbackStatus,
                                new FeedbackMeters(apiMeters),
                                "api@" + Pipeline.defaultInstanceName(),
                                Clock.systemUTC()),
                        new DynamoFeedbackEventIds(
                                stores.dynamo(), stores.table(), cfg.feedback().dedupWindow(), Clock.systemUTC()))
                .access(access)
                .receivers(ReceiverParser.standard(cfg.receivers().defaultScheme()))
                .readiness(StatusStores.sqsReadiness(queues.sqs(), queues.refs()))
                .readiness(stores.readiness())
                .overview(queues.sqs())
                .feedbackRates(stores.feedbackDailyCounts(Clock.systemUTC()))
                .accessLog(cfg.logging().accessLog())
                .build();
        AutoCloseable service = () -> {
            api.close();
            meters.close();
            stores.close();
            queues.close();
        };
        try {
            Services.startApi(api, cfg.api());
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        System.out.println("Herald API listening on http://" + cfg.api().host() + ":" + api.port() + " ("
                + (access.isOpen()
                        ? "OPEN: no API keys, api.open is true"
                        : "API keys: " + String.join(", ", access.keyNames()))
                + ")");
        Services.runUntilStopped("API", service);
        return 0;
    }
}
