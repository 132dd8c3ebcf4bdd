package io.herald.embedded;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.SQSRestServerBuilder$;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.immutable.List$;
import scala.util.Either;
import scalikejdbc.ConnectionPool$;

/**
 * An in-process SQS (ElasticMQ) for local mode, serve mode and tests, listening on loopback only. Herald talks to it
 * with the real AWS SDK through an endpoint override, exactly as it talks to AWS.
 *
 * <p>In memory by default; {@link #startPersistent} keeps queues and messages in an H2 file through ElasticMQ's own SQL
 * persistence, which stores each sent, received and deleted message before answering the request, so whatever SQS
 * acknowledged survives a crash of the process.
 */
public final class EmbeddedSqs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSqs.class);
    private static final String HOST = "127.0.0.1";

    /*
     * ElasticMQ's actor system would add its own JVM shutdown hook; running beside Herald's hook
     * (Ctrl-C in local mode) the two wait for each other. Herald owns the lifecycle instead.
     */
    private static final Config ACTOR_CONFIG = ConfigFactory.parseString(
                    "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                            + "pekko.coordinated-shutdown.exit-jvm = off")
            .withFallback(ConfigFactory.load());

    /** Server-side long polls of clients that already left are abandoned after this. */
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(3);

    /** Reading every stored queue and message back into memory at start. */
    private static final Duration RESTORE_DEADLINE = Duration.ofMinutes(2);

    private final ActorSystem actors;
    private final SQSRestServer server;
    private final URI endpoint;
    private final boolean persistent;

    private EmbeddedSqs(ActorSystem actors, SQSRestServer server, URI endpoint, boolean persistent) {
        this.actors = actors;
        this.server = server;
        this.endpoint = endpoint;
        this.persistent = persistent;
    }

    /**
     * @param port the port to listen on, or 0 for a free one
     * @throws IllegalStateException when the port cannot be bound
     */
    public static EmbeddedSqs start(int port) {
        ActorSystem actors = ActorSystem.create("elasticmq", ACTOR_CONFIG);
        return listen(actors, SQSRestServerBuilder.withActorSystem(actors), port, false);
    }

    /**
     * Queues and messages kept in {@code directory/sqs.mv.db} (H2) and read back at the next start. One persistent
     * instance per process: ElasticMQ keeps its database connection pool in a global.
     *
     * @param port the port to listen on, or 0 for a free one
     * @param directory an existing, writable directory
     * @throws IllegalStateException when the store cannot be opened (e.g. in use by another process) or read back
     */
    public static EmbeddedSqs startPersistent(int port, Path directory) {
        // WRITE_DELAY=0: H2 writes each commit to the file at once instead of up to 500 ms later, so a
        // killed process loses nothing SQS acknowledged. (Not an fsync: a power cut still may.)
        String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("sqs") + ";WRITE_DELAY=0";
        SqlQueuePersistenceConfig storage = new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "", "", false);
        try {
            Class.forName(storage.driverClass());
            // ElasticMQ opens its pool once per JVM; (re)open it here so a restart in one process reaches the file.
            ConnectionPool$ pools = ConnectionPool$.MODULE$;
            pools.singleton(
                    url,
                    "",
                    "",
                    pools.singleton$default$4(),
                    pools.singleton$default$5(url, "", "", pools.singleton$default$4()));
        } catch (Exception e) {
            throw new IllegalStateException(
                    "embedded SQS cannot open its store in " + directory + ": " + rootMessage(e), e);
        }
        ActorSystem actors = ActorSystem.create("elasticmq", ACTOR_CONFIG);
        ActorRef persistence;
        ActorRef queues;
        try {
            persistence = actors.actorOf(Props.create(SqlQueuePersistenceActor.class, storage, List$.MODULE$.empty()));
            queues = actors.actorOf(Props.create(
                    QueueManagerActor.class,
                    new NowProvider(),
                    SQSRestServerBuilder$.MODULE$.sqsLimits(),
                    Option.apply(persistence)));
            // Restored before the port opens: Herald's start-up creates its queues, which must find them present.
            Object restored = Patterns.ask(persistence, new QueueEvent.Restore(queues), RESTORE_DEADLINE)
                    .toCompletableFuture()
                    .get(RESTORE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            if (restored instanceof Either<?, ?> either && either.isLeft()) {
                throw new IllegalStateException(
                        "stored queues do not load: " + either.left().get());
            }
        } catch (Exception e) {
            closeActors(actors);
            closeStore();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(
                    "embedded SQS cannot read its store in " + directory + ": " + rootMessage(e), e);
        }
        TheSQSRestServerBuilder builder = SQSRestServerBuilder.withActorSystem(actors)
                .withQueueManagerActor(queues)
                .withQueueEventListener(persistence);
        return listen(actors, builder, port, true);
    }

    private static EmbeddedSqs listen(
            ActorSystem actors, TheSQSRestServerBuilder builder, int port, boolean persistent) {
        SQSRestServer server = builder.withInterface(HOST).withPort(port).start();
        int bound;
        try {
            bound = server.waitUntilStarted().localAddress().getPort();
        } catch (RuntimeException e) {
            new EmbeddedSqs(actors, server, null, persistent).close();
            throw new IllegalStateException(
                    "embedded SQS cannot listen on " + HOST + ":" + port + ": " + rootMessage(e), e);
        }
        return new EmbeddedSqs(actors, server, URI.create("http://" + HOST + ":" + bound), persistent);
    }

    /** The URL to give as {@code sqs.endpoint}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    /**
     * Stops listening and ends the actor system, waiting at most a few seconds; in memory the queues are gone,
     * persistent ones are released for the next start.
     */
    @Override
    public void close() {
        try {
            server.stopAndGetFuture().apply();
        } catch (RuntimeException e) {
            log.debug("embedded SQS unbind failed", e);
        }
        closeActors(actors);
        if (persistent) {
            closeStore();
        }
    }

    private static void closeStore() {
        try {
            ConnectionPool$.MODULE$.close(ConnectionPool$.MODULE$.close$default$1());
        } catch (RuntimeException e) {
            log.debug("embedded SQS store close failed", e);
        }
    }

    private static void closeActors(ActorSystem actors) {
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
