package io.herald.bench;

import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import java.net.URI;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The peer a Java team would pick instead of Herald for an SQS consumer: Spring Cloud AWS's
 * {@link SqsMessageListenerContainer} built directly over an {@link SqsAsyncClient} (the SDK's default async client).
 * Its listener either does nothing (what is measured is the container's own receive-and-acknowledge loop) or does the
 * work Herald does per message: decode the envelope and send it as an email through the SES v2 SDK client (Apache HTTP
 * client, pool sized to the listener's concurrency) to the drill's SES fake, so "ahead at equal CPU" compares equal
 * work. A failed send throws, so the container leaves the message on the queue. In a JVM of its own, so its CPU can be
 * read.
 *
 * <p>Arguments: {@code ENDPOINT QUEUE_NAME default} (the container's default settings, no-op), {@code ENDPOINT
 * QUEUE_NAME tuned MAX_CONCURRENT MAX_PER_POLL} (no-op) or {@code ENDPOINT QUEUE_NAME tuned MAX_CONCURRENT MAX_PER_POLL
 * SES_ENDPOINT} (sends through SES). Prints {@code ready} once polling, stops when stdin closes.
 */
public final class SpringDrainMain {

    private SpringDrainMain() {}

    public static void main(String[] args) throws Exception {
        boolean valid = args.length == 3 && args[2].equals("default")
                || (args.length == 5 || args.length == 6) && args[2].equals("tuned");
        if (!valid) {
            System.err.println("usage: SpringDrainMain ENDPOINT QUEUE default | ENDPOINT QUEUE tuned MAX_CONCURRENT "
                    + "MAX_PER_POLL [SES_ENDPOINT]");
            System.exit(2);
        }
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));
        int concurrent = args.length >= 5 ? Integer.parseInt(args[3]) : 10;
        SesV2Client ses = args.length == 6
                ? SesV2Client.builder()
                        .endpointOverride(URI.create(args[5]))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(concurrent))
                        .build()
                : null;
        EnvelopeCodec codec = new EnvelopeCodec();
        Consumer<String> work = ses == null ? body -> {} : body -> sendEmail(ses, codec, body);
        try (SqsAsyncClient sqs = SqsAsyncClient.builder()
                .endpointOverride(URI.create(args[0]))
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build()) {
            SqsMessageListenerContainer.Builder<Object> builder = SqsMessageListenerContainer.builder()
                    .sqsAsyncClient(sqs)
                    .queueNames(args[1])
                    .messageListener(message -> work.accept(String.valueOf(message.getPayload())));
            if (args[2].equals("tuned")) {
                int perPoll = Integer.parseInt(args[4]);
                builder.configure(
                        options -> options.maxConcurrentMessages(concurrent).maxMessagesPerPoll(perPoll));
            }
            SqsMessageListenerContainer<Object> container = builder.build();
            container.start();
            System.out.println("ready");
            System.out.flush();
            ChildJvm.awaitParentGone();
            container.stop();
        } finally {
            if (ses != null) {
                ses.close();
            }
        }
        System.exit(0);
    }

    /** What a listener method of a Java team's service would do: decode, then one SES SendEmail. */
    private static void sendEmail(SesV2Client ses, EnvelopeCodec codec, String body) {
        Envelope envelope = codec.decode(body);
        String subject =
                envelope.content().title() == null ? "" : envelope.content().title();
        String text =
                envelope.content().text() == null ? "" : envelope.content().text();
        ses.sendEmail(r -> r.fromEmailAddress("bench@example.org")
                .destination(d -> d.toAddresses(envelope.target()))
                .content(c -> c.simple(m -> m.subject(s -> s.data(subject).charset("UTF-8"))
                        .body(b -> b.text(t -> t.data(text).charset("UTF-8")))))
                .emailTags(MessageTag.builder()
                        .name("herald-id")
                        .value(envelope.id())
                        .build()));
    }
}
