package io.herald.bench;

import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import java.net.URI;

/**
 * ElasticMQ ({@code sqs}) or DynamoDB Local ({@code dynamodb}) standalone, in a JVM of its own, as the embedded module
 * starts them, behind a {@link CountingProxy}. Prints one line, {@code proxy=URL direct=URL}, when both listen, and
 * stops when stdin closes: consumers go through the proxy and are counted, the drill's own filling and polling goes
 * direct and is not.
 */
public final class StoreServerMain {

    private StoreServerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !(args[0].equals("sqs") || args[0].equals("dynamodb"))) {
            System.err.println("usage: StoreServerMain sqs|dynamodb");
            System.exit(2);
        }
        AutoCloseable server;
        URI direct;
        if (args[0].equals("sqs")) {
            EmbeddedSqs sqs = EmbeddedSqs.start(0);
            server = sqs;
            direct = sqs.endpoint();
        } else {
            EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(0);
            server = dynamo;
            direct = dynamo.endpoint();
        }
        try (server;
                CountingProxy proxy = new CountingProxy(direct)) {
            System.out.println("proxy=" + proxy.endpoint() + " direct=" + direct);
            System.out.flush();
            ChildJvm.awaitParentGone();
        }
        // ElasticMQ's actor system may leave non-daemon threads behind.
        System.exit(0);
    }
}
