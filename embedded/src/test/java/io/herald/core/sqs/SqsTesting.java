package io.herald.core.sqs;

import static org.awaitility.Awaitility.await;

import io.herald.core.config.HeraldConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** What the SQS tests share: configs pointing at an embedded SQS, a request-counting client, draining a queue. */
final class SqsTesting {

    private static final AtomicInteger QUEUE_SEQUENCE = new AtomicInteger();

    private SqsTesting() {}

    /** A queue name no other test uses, so tests can share one embedded SQS. */
    static String uniqueQueueName(String purpose) {
        return "t" + QUEUE_SEQUENCE.incrementAndGet() + "-" + purpose;
    }

    static HeraldConfig.Sqs sqsConfig(URI endpoint, List<String> queues) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(
                endpoint.toString(),
                d.region(),
                queues,
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                d.visibilityTimeout(),
                d.maxConnections());
    }

    /** A port nothing listens on: bound once, then released. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * The client {@link SqsClients#create} builds for a loopback endpoint, plus an interceptor that records every
     * request as it leaves the SDK.
     */
    static SqsClient recordingClient(URI endpoint, RequestRecorder recorder) {
        return SqsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("herald-local", "herald-local")))
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
                .build();
    }

    /**
     * Reads until at least {@code expected} messages arrived (failing if they do not within 30 s, a bound that only
     * stops a hang). Leaves them in flight.
     */
    static List<Message> drain(SqsClient sqs, String queueUrl, int expected) {
        List<Message> received = new CopyOnWriteArrayList<>();
        await("%d messages on %s".formatted(expected, queueUrl))
                .atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    received.addAll(sqs.receiveMessage(b ->
                                    b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                            .messages());
                    return received.size() >= expected;
                });
        return received;
    }

    /**
     * Records every request as it leaves the SDK (once per call, however often it is retried), the entries of each
     * SendMessageBatch call, and how many HTTP attempts were made.
     */
    static final class RequestRecorder implements ExecutionInterceptor {

        final List<SdkRequest> requests = new CopyOnWriteArrayList<>();
        final List<List<SendMessageBatchRequestEntry>> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
            requests.add(context.request());
            if (context.request() instanceof SendMessageBatchRequest request) {
                batches.add(List.copyOf(request.entries()));
            }
        }

        <T extends SdkRequest> List<T> requestsOf(Class<T> type) {
            return requests.stream().filter(type::isInstance).map(type::cast).toList();
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
            attempts.incrementAndGet();
        }

        List<Integer> entriesPerCall() {
            return batches.stream().map(List::size).toList();
        }

        List<Integer> bytesPerCall() {
            return batches.stream()
                    .map(entries -> entries.stream()
                            .mapToInt(e -> e.messageBody().getBytes(StandardCharsets.UTF_8).length)
                            .sum())
                    .toList();
        }
    }
}
