package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.embedded.EmbeddedSqs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The counting proxy in front of a real ElasticMQ, spoken to by the real AWS SDK. */
class CountingProxyTest {

    private static HeraldConfig.Sqs config(String endpoint) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(
                endpoint,
                d.region(),
                List.of("proxied"),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                d.visibilityTimeout(),
                10);
    }

    @Test
    void countsEachRequestByActionAndPassesAnswersThroughUnchanged() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0);
                CountingProxy proxy = new CountingProxy(sqs.endpoint());
                SqsClient client = SqsClients.create(config(proxy.endpoint().toString()))) {
            QueueRef queue = SqsQueues.provision(client, config(proxy.endpoint().toString()))
                    .getFirst();
            client.sendMessage(b -> b.queueUrl(queue.url()).messageBody("hello"));
            List<Message> got = client.receiveMessage(
                            b -> b.queueUrl(queue.url()).waitTimeSeconds(1))
                    .messages();

            assertThat(got).extracting(Message::body).containsExactly("hello");
            assertThat(proxy.counts()).containsEntry("SendMessage", 1L).containsEntry("ReceiveMessage", 1L);
        }
    }

    @Test
    void aClosedGateHoldsReceivesUntilItOpens() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0);
                CountingProxy proxy = new CountingProxy(sqs.endpoint());
                SqsClient viaProxy = SqsClients.create(config(proxy.endpoint().toString()));
                SqsClient direct = SqsClients.create(config(sqs.endpoint().toString()))) {
            QueueRef queue = SqsQueues.provision(direct, config(sqs.endpoint().toString()))
                    .getFirst();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            http.send(
                    java.net.http.HttpRequest.newBuilder(proxy.endpoint().resolve("/__proxy/gate/close"))
                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());

            CompletableFuture<List<Message>> held = CompletableFuture.supplyAsync(
                    () -> viaProxy.receiveMessage(b -> b.queueUrl(queue.url()).waitTimeSeconds(1))
                            .messages());
            Await.until(
                    () -> proxy.counts().getOrDefault("ReceiveMessage", 0L) == 1,
                    Duration.ofSeconds(10),
                    "the receive to reach the proxy");
            direct.sendMessage(b -> b.queueUrl(queue.url()).messageBody("filled while held"));
            assertThat(held).isNotDone();

            http.send(
                    java.net.http.HttpRequest.newBuilder(proxy.endpoint().resolve("/__proxy/gate/open"))
                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(held.get(10, TimeUnit.SECONDS)).extracting(Message::body).containsExactly("filled while held");
            http.close();
        }
    }
}
