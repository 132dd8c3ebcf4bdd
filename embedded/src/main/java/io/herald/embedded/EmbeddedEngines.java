package io.herald.embedded;

import io.herald.core.embedded.EmbeddedServices;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** ElasticMQ and DynamoDB Local behind core's {@link EmbeddedServices}, found by {@code ServiceLoader}. */
public final class EmbeddedEngines implements EmbeddedServices {

    @Override
    public Running startSqs(int port, Optional<Path> storage) {
        EmbeddedSqs sqs =
                storage.map(dir -> EmbeddedSqs.startPersistent(port, dir)).orElseGet(() -> EmbeddedSqs.start(port));
        return running(sqs.endpoint(), sqs::close);
    }

    @Override
    public Running startDynamoDb(int port, Optional<Path> storage) {
        EmbeddedDynamoDb dynamoDb = storage.map(dir -> EmbeddedDynamoDb.startPersistent(port, dir))
                .orElseGet(() -> EmbeddedDynamoDb.start(port));
        return running(dynamoDb.endpoint(), dynamoDb::close);
    }

    private static Running running(URI endpoint, Runnable stop) {
        return new Running() {
            @Override
            public URI endpoint() {
                return endpoint;
            }

            @Override
            public void close() {
                stop.run();
            }
        };
    }
}
