package io.herald.core.sqs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An in-process SQS (ElasticMQ) for local mode and tests, listening on loopback only. Herald
 * talks to it with the real AWS SDK through an endpoint override, exactly as it talks to AWS.
 */
public final class EmbeddedSqs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSqs.class);
    private static final String HOST = "127.0.0.1";

    /*
     * ElasticMQ's actor system would add its own JVM shutdown hook; running beside Herald's hook
     * (Ctrl-C in local mode) the two wait for each other. Herald owns the lifecycle instead.
     */
    private static final Config ACTOR_CONFIG = ConfigFactory
            .parseString("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                    + "pekko.coordinated-shutdown.exit-jvm = off")
            .withFallback(ConfigFactory.load());

    /** Server-side long polls of clients that already left are abandoned after this. */
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(3);

    private final ActorSystem actors;
    private final SQSRestServer server;
    private final URI endpoint;

    private EmbeddedSqs(ActorSystem actors, SQSRestServer server, URI endpoint) {
        this.actors = actors;
        this.server = server;
        this.endpoint = endpoint;
    }

    /**
     * @param port the port to listen on, or 0 for a free one
     * @throws IllegalStateException when the port cannot be bound
     */
    public static EmbeddedSqs start(int port) {
        ActorSystem actors = ActorSystem.create("elasticmq", ACTOR_CONFIG);
        SQSRestServer server = SQSRestServerBuilder.withActorSystem(actors).withInterface(HOST).withPort(port).start();
        int bound;
        try {
            bound = server.waitUntilStarted().localAddress().getPort();
        } catch (RuntimeException e) {
            new EmbeddedSqs(actors, server, null).close();
            throw new IllegalStateException("embedded SQS cannot listen on " + HOST + ":" + port + ": " + rootMessage(e), e);
        }
        return new EmbeddedSqs(actors, server, URI.create("http://" + HOST + ":" + bound));
    }

    /** The URL to give as {@code sqs.endpoint}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    /** Stops listening and ends the actor system, waiting at most a few seconds: queues are in memory. */
    @Override
    public void close() {
        try {
            server.stopAndGetFuture().apply();
        } catch (RuntimeException e) {
            log.debug("embedded SQS unbind failed", e);
        }
        actors.terminate();
        try {
            actors.getWhenTerminated().toCompletableFuture().get(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.debug("embedded SQS still stopping after {}; leaving it", STOP_DEADLINE);
        } catch (ExecutionException e) {
            log.debug("embedded SQS stop failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
