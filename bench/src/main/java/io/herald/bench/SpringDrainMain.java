package io.herald.bench;

import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer a Java team would pick instead of Herald for an SQS consumer: Spring Cloud AWS's
 * {@link SqsMessageListenerContainer} built directly over an {@link SqsAsyncClient} (the SDK's
 * default async client), with a listener that does nothing, so what is measured is the
 * container's own receive-and-acknowledge loop. In a JVM of its own, so its CPU can be read.
 *
 * <p>Arguments: {@code ENDPOINT QUEUE_NAME default} (the container's default settings) or
 * {@code ENDPOINT QUEUE_NAME tuned MAX_CONCURRENT MAX_PER_POLL}. Prints {@code ready} once
 * polling, stops when stdin closes.
 */
public final class SpringDrainMain {

    private SpringDrainMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !(args[2].equals("default") || args[2].equals("tuned") && args.length == 5)) {
            System.err.println("usage: SpringDrainMain ENDPOINT QUEUE default | ENDPOINT QUEUE tuned MAX_CONCURRENT MAX_PER_POLL");
            System.exit(2);
        }
        AtomicLong handled = new AtomicLong();
        try (SqsAsyncClient sqs = SqsAsyncClient.builder().endpointOverride(URI.create(args[0]))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build()) {
            SqsMessageListenerContainer.Builder<Object> builder = SqsMessageListenerContainer.builder()
                    .sqsAsyncClient(sqs).queueNames(args[1]).messageListener(message -> handled.incrementAndGet());
            if (args[2].equals("tuned")) {
                int concurrent = Integer.parseInt(args[3]);
                int perPoll = Integer.parseInt(args[4]);
                builder.configure(options -> options.maxConcurrentMessages(concurrent).maxMessagesPerPoll(perPoll));
            }
            SqsMessageListenerContainer<Object> container = builder.build();
            container.start();
            System.out.println("ready");
            System.out.flush();
            ChildJvm.awaitParentGone();
            container.stop();
        }
        System.exit(0);
    }
}
