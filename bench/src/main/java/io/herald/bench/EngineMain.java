package io.herald.bench;

import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;

/**
 * One of the engines {@code ./herald local} embeds, alone in a JVM of its own, so a drill can
 * measure the API as it is deployed (its own process) and see each engine's CPU apart:
 * {@code sqs} (ElasticMQ) or {@code dynamodb} (DynamoDB Local, in memory, as local mode runs it).
 * Prints its endpoint as its ready line; stops when stdin closes.
 */
public final class EngineMain {

    private EngineMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: EngineMain sqs|dynamodb");
        }
        AutoCloseable engine;
        String endpoint;
        switch (args[0]) {
            case "sqs" -> {
                EmbeddedSqs sqs = EmbeddedSqs.start(0);
                engine = sqs;
                endpoint = sqs.endpoint().toString();
            }
            case "dynamodb" -> {
                EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(0);
                engine = dynamo;
                endpoint = dynamo.endpoint().toString();
            }
            default -> throw new IllegalArgumentException("unknown engine '" + args[0] + "' (sqs, dynamodb)");
        }
        try {
            System.out.println(endpoint);
            System.out.flush();
            ChildJvm.awaitParentGone();
        } finally {
            engine.close();
        }
        // DynamoDB Local leaves a non-daemon thread behind after it stops.
        System.exit(0);
    }
}
