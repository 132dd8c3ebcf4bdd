package io.herald.bench;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.embedded.EmbeddedSqs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** ElasticMQ in this process on loopback, a client for it, and what the drills ask of a queue. */
final class LocalSqs implements AutoCloseable {

    private final EmbeddedSqs embedded;
    private final SqsClient client;

    LocalSqs() {
        embedded = EmbeddedSqs.start(0);
        client = SqsClients.create(config("unused", Duration.ofSeconds(60)));
    }

    SqsClient client() {
        return client;
    }

    String endpoint() {
        return embedded.endpoint().toString();
    }

    /** Herald's SQS settings for one queue here (and its dead-letter queue). */
    HeraldConfig.Sqs config(String queue, Duration visibility) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(
                endpoint(),
                d.region(),
                List.of(queue),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                visibility,
                d.maxConnections());
    }

    QueueRef provision(HeraldConfig.Sqs config) {
        return SqsQueues.provision(client, config).getFirst();
    }

    /** Visible plus in-flight messages: zero once every message is deleted. */
    int messagesOn(String url) {
        return messagesOn(client, url);
    }

    static int messagesOn(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Messages received by a consumer and neither deleted nor released yet. */
    int inFlightOn(String url) {
        return Integer.parseInt(client.getQueueAttributes(b ->
                        b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** An email notification as the API would enqueue it; ids are unique and sortable. */
    static Envelope email(String drill, int n) {
        return Envelope.create(
                "email",
                "to" + n + "@example.org",
                Content.of(drill + " " + n, "Body " + n),
                Origin.api("bench"),
                Instant.now());
    }

    @Override
    public void close() {
        client.close();
        embedded.close();
    }
}
