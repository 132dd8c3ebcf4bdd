package io.herald.cli;

import io.herald.api.HeraldApi;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.health.ReadinessCheck;
import io.herald.core.metrics.ProcessMeters;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.pipeline.AdminServer;
import io.herald.pipeline.Pipeline;
import io.herald.pipeline.PipelineMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Start-up and shut-down steps the commands share. */
final class Services {

    private Services() {}

    /** An SQS client and the configured queues it found; closing it closes the client. */
    record Queues(SqsClient sqs, List<QueueRef> refs) implements AutoCloseable {
        @Override
        public void close() {
            sqs.close();
        }
    }

    /** Connects to the configured SQS and finds the queues, which must exist; closes what it opened on failure. */
    static Queues connectToQueues(HeraldConfig config, ExecutionInterceptor... interceptors) {
        SqsClient sqs = SqsClients.create(config.sqs(), interceptors);
        try {
            return new Queues(sqs, SqsQueues.resolve(sqs, config.sqs()));
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
    }

    /**
     * The pipeline's meters in a registry that also has the JVM's and the process's ({@link ProcessMeters}, bound
     * first: its renaming filters must precede every meter).
     *
     * @param closeLater given the process meters to close when the pipeline stops
     */
    static PipelineMetrics metrics(Consumer<AutoCloseable> closeLater) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        closeLater.accept(ProcessMeters.bindTo(registry));
        return new PipelineMetrics(registry);
    }

    /**
     * Starts the pipeline's admin server unless pipeline.adminPort is -1.
     *
     * @param readiness what its {@code /readyz} asks: the queues it reads and the status table
     */
    static Optional<AdminServer> startAdmin(
            HeraldConfig.PipelineSettings config,
            PipelineMetrics metrics,
            Pipeline pipeline,
            List<ReadinessCheck> readiness) {
        if (config.adminPort() < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AdminServer(
                    config.adminHost(),
                    config.adminPort(),
                    (PrometheusMeterRegistry) metrics.registry(),
                    pipeline::status,
                    readiness));
        } catch (IOException | RuntimeException e) {
            throw new StartupException("the pipeline's admin server cannot listen on " + config.adminHost() + ":"
                    + config.adminPort() + ": " + rootMessage(e) + " (set pipeline.adminPort / "
                    + ConfigLoader.environmentVariable("pipeline.adminPort")
                    + " to a free port, 0, or -1 to turn it off)");
        }
    }

    /** The From of self-service links: mailprog.sender when set (where Slurm mail comes from), else the provider's. */
    static java.util.Optional<io.herald.core.envelope.Sender> linkSender(HeraldConfig cfg) {
        String sender = cfg.mailprog().sender();
        return sender == null || sender.isBlank()
                ? java.util.Optional.empty()
                : java.util.Optional.of(new io.herald.core.envelope.Sender(sender, "Herald"));
    }

    /**
     * One-click unsubscribe at {@code /u/{token}} when links are on (a public address and unsubscribe.secret): links
     * signed with the pipeline's secret add to the suppression list in the status table.
     */
    static HeraldApi.Builder unsubscribe(HeraldApi.Builder api, HeraldConfig cfg, StatusStores stores) {
        if (!io.herald.core.unsubscribe.UnsubscribeLinks.from(cfg).enabled()) {
            return api;
        }
        return api.unsubscribe(
                new io.herald.core.unsubscribe.UnsubscribeTokens(
                        cfg.unsubscribe().secret()),
                stores.suppressions());
    }

    static void startApi(HeraldApi api, HeraldConfig.Api config) {
        try {
            refuseTakenPort(config.host(), config.port());
            api.start();
        } catch (IOException | RuntimeException e) {
            throw new StartupException("the API cannot listen on " + config.host() + ":" + config.port() + ": "
                    + rootMessage(e) + " (set api.port / " + ConfigLoader.environmentVariable("api.port")
                    + " to a free port, or 0)");
        }
    }

    /**
     * Throws when the port is taken. Javalin (and Pekko under the embedded SQS, Jetty under the embedded DynamoDB) log
     * a failed start at ERROR with a stack trace before they throw; finding the port taken first leaves the operator
     * one line with the fix. Jetty binds with SO_REUSEADDR, so this does too: it refuses no port Jetty could bind.
     */
    static void refuseTakenPort(String host, int port) throws IOException {
        if (port <= 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        }
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes the service. */
    static void runUntilStopped(String name, AutoCloseable service) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("herald-shutdown").unstarted(() -> {
                    System.err.println("herald: stopping " + name + "...");
                    try {
                        service.close();
                    } catch (Exception e) {
                        System.err.println("herald: error while stopping " + name + ": " + e.getMessage());
                    }
                    System.err.println("herald: " + name + " stopped");
                    closed.countDown();
                }));
        closed.await();
    }

    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
