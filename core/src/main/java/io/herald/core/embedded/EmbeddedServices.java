package io.herald.core.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The SQS and DynamoDB engines Herald can run in its own process ({@code herald local}, {@code herald serve}).
 *
 * <p>The implementation lives in the {@code herald-embedded} module and is found with {@link ServiceLoader}: ElasticMQ
 * and DynamoDB Local bring Pekko, Scala and sqlite4java (about half of all jars), which no production command needs, so
 * they sit on the classpath only for the two commands that start them.
 */
public interface EmbeddedServices {

    /**
     * An SQS endpoint on 127.0.0.1.
     *
     * @param port the port to listen on, or 0 for a free one
     * @param storage a directory to keep queues and messages in across restarts, or empty for memory only
     * @throws IllegalStateException when it cannot start, e.g. the port is taken or the storage unusable
     */
    Running startSqs(int port, Optional<Path> storage);

    /**
     * A DynamoDB endpoint on 127.0.0.1.
     *
     * @param port the port to listen on, or 0 for a free one
     * @param storage a directory to keep tables in across restarts, or empty for memory only
     * @throws IllegalStateException when it cannot start
     */
    Running startDynamoDb(int port, Optional<Path> storage);

    /** A started engine; closing stops it (and, in memory, drops its data). */
    interface Running extends AutoCloseable {

        /** The URL to give as {@code sqs.endpoint} or {@code status.endpoint}. */
        URI endpoint();

        @Override
        void close();
    }

    /**
     * The implementation on the classpath.
     *
     * @throws EmbeddedServicesMissing when the {@code herald-embedded} jars are not on the classpath
     */
    static EmbeddedServices load() {
        return ServiceLoader.load(EmbeddedServices.class).findFirst().orElseThrow(EmbeddedServicesMissing::new);
    }

    /** The embedded engines are not installed or not on this command's classpath. */
    final class EmbeddedServicesMissing extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        EmbeddedServicesMissing() {
            super("the embedded SQS and DynamoDB (herald-embedded) are not on the classpath: run `herald local` "
                    + "or `herald serve` through bin/herald, which adds lib/embedded/*, or put those jars on -cp");
        }
    }
}
