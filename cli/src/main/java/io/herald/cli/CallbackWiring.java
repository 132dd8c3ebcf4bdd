package io.herald.cli;

import io.herald.api.HeraldApi;
import io.herald.core.callback.CallbackQueue;
import io.herald.core.callback.CallbackStatusStore;
import io.herald.core.callback.CallbackTargets;
import io.herald.core.callback.WebhookSigner;
import io.herald.core.config.ConfigException;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.retry.Backoff;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.StatusStore;
import io.herald.pipeline.callback.CallbackDeliverer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Status callbacks in the running processes, when {@code callbacks.secret} is set: the API and the pipeline record
 * statuses through a store that also queues callbacks, the pipeline posts them. Off, everything is as before.
 */
final class CallbackWiring {

    private CallbackWiring() {}

    /**
     * The callbacks queue's URL.
     *
     * @param create create it with its dead-letter queue (local mode; in AWS the stack owns it)
     * @throws ConfigException naming callbacks.queue when it does not exist
     */
    static String queueUrl(HeraldConfig cfg, SqsClient sqs, boolean create) {
        HeraldConfig.Callbacks callbacks = cfg.callbacks();
        HeraldConfig.Sqs own = new HeraldConfig.Sqs(
                cfg.sqs().endpoint(),
                cfg.sqs().region(),
                List.of(callbacks.queue()),
                cfg.sqs().deadLetterSuffix(),
                callbacks.queueMaxReceiveCount(),
                callbacks.queueVisibilityTimeout(),
                cfg.sqs().maxConnections());
        if (create) {
            return SqsQueues.provision(sqs, own).getFirst().url();
        }
        try {
            return SqsQueues.resolve(sqs, own).getFirst().url();
        } catch (ConfigException e) {
            throw new ConfigException(List.of("callbacks.queue (" + ConfigLoader.environmentVariable("callbacks.queue")
                    + "): queue '" + callbacks.queue() + "' or its dead-letter queue does not exist; create them "
                    + "(the CDK stack does) or unset callbacks.secret to turn callbacks off"));
        }
    }

    /** The store to record statuses through: {@code store} itself, or with callbacks on, one that queues them too. */
    static StatusStore statusStore(
            HeraldConfig cfg, StatusStore store, SqsClient sqs, String queueUrl, MeterRegistry registry) {
        if (!cfg.callbacks().enabled()) {
            return store;
        }
        return new CallbackStatusStore(store, new CallbackQueue(sqs, queueUrl), registry);
    }

    /** Lets requests name a callback URL (else they get 400 when they do). */
    static void configureApi(HeraldConfig cfg, HeraldApi.Builder api) {
        if (cfg.callbacks().enabled()) {
            api.callbacks(targets(cfg), cfg.callbacks().defaultUrls());
        }
    }

    /** The pipeline's poster of queued callbacks, not yet started; empty when callbacks are off. */
    static Optional<CallbackDeliverer> deliverer(
            HeraldConfig cfg, SqsClient sqs, String queueUrl, StatusStore store, MeterRegistry registry) {
        HeraldConfig.Callbacks callbacks = cfg.callbacks();
        if (!callbacks.enabled()) {
            return Optional.empty();
        }
        return Optional.of(new CallbackDeliverer(
                sqs,
                queueUrl,
                WebhookSigner.of(callbacks.secret()),
                targets(cfg),
                callbacks.retrySchedule(),
                callbacks.timeout(),
                store,
                registry,
                Clock.systemUTC(),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)),
                cfg.pipeline().receiveWait()));
    }

    private static CallbackTargets targets(HeraldConfig cfg) {
        return new CallbackTargets(cfg.callbacks().allowPrivateTargets());
    }
}
