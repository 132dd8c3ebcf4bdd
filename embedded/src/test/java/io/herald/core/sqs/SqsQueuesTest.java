package io.herald.core.sqs;

import static io.herald.core.sqs.SqsTesting.sqsConfig;
import static io.herald.core.sqs.SqsTesting.uniqueQueueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.ConfigException;
import io.herald.core.config.HeraldConfig;
import io.herald.embedded.EmbeddedSqs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsQueuesTest {

    private static EmbeddedSqs embedded;
    private static SqsClient sqs;

    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startSqs() {
        embedded = EmbeddedSqs.start(0);
        sqs = SqsClients.create(sqsConfig(embedded.endpoint(), List.of("unused")));
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        embedded.close();
    }

    @Test
    void embeddedSqsListensOnLoopbackOnAFreePort() {
        assertThat(embedded.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(embedded.port()).isPositive().isEqualTo(embedded.endpoint().getPort());
    }

    @Test
    void provisionCreatesEachQueueWithItsDeadLetterQueue() {
        String a = uniqueQueueName("prov-a");
        String b = uniqueQueueName("prov-b");

        List<QueueRef> refs = SqsQueues.provision(sqs, sqsConfig(embedded.endpoint(), List.of(a, b)));

        assertThat(refs).extracting(QueueRef::name).containsExactly(a, b);
        for (QueueRef ref : refs) {
            assertThat(ref.url())
                    .isEqualTo(sqs.getQueueUrl(r -> r.queueName(ref.name())).queueUrl());
            assertThat(ref.deadLetterUrl())
                    .isEqualTo(sqs.getQueueUrl(r -> r.queueName(ref.name() + "-dlq"))
                            .queueUrl());
        }
    }

    @Test
    void provisionedQueueHasRedrivePolicyNamingDeadLetterArnAndMaxReceiveCount() throws Exception {
        QueueRef ref = SqsQueues.provision(sqs, sqsConfig(embedded.endpoint(), List.of(uniqueQueueName("redrive"))))
                .getFirst();

        String deadLetterArn = attributes(ref.deadLetterUrl()).get(QueueAttributeName.QUEUE_ARN);
        JsonNode policy = json.readTree(attributes(ref.url()).get(QueueAttributeName.REDRIVE_POLICY));

        assertThat(deadLetterArn).endsWith(":" + ref.name() + "-dlq");
        assertThat(policy.get("deadLetterTargetArn").asText()).isEqualTo(deadLetterArn);
        assertThat(policy.get("maxReceiveCount").asInt())
                .isEqualTo(HeraldConfig.defaults().sqs().maxReceiveCount());
    }

    @Test
    void provisionedQueueHasConfiguredVisibilityTimeout() {
        QueueRef ref = SqsQueues.provision(sqs, sqsConfig(embedded.endpoint(), List.of(uniqueQueueName("vis"))))
                .getFirst();

        assertThat(attributes(ref.url()).get(QueueAttributeName.VISIBILITY_TIMEOUT))
                .isEqualTo("60");
    }

    @Test
    void deadLetterQueueIsCreatedToKeepMessagesFourteenDays() {
        // ElasticMQ 1.7.1 neither stores nor reports MessageRetentionPeriod, so look at what was asked of it.
        String name = uniqueQueueName("ret");
        SqsTesting.RequestRecorder recorder = new SqsTesting.RequestRecorder();
        try (SqsClient recording = SqsTesting.recordingClient(embedded.endpoint(), recorder)) {
            SqsQueues.provision(recording, sqsConfig(embedded.endpoint(), List.of(name)));
        }

        assertThat(recorder.requestsOf(CreateQueueRequest.class))
                .filteredOn(r -> r.queueName().equals(name + "-dlq"))
                .singleElement()
                .satisfies(r -> assertThat(r.attributes())
                        .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600"));
    }

    @Test
    void provisionTwiceIsHarmlessAndReturnsTheSameQueues() {
        HeraldConfig.Sqs config = sqsConfig(embedded.endpoint(), List.of(uniqueQueueName("twice")));

        List<QueueRef> first = SqsQueues.provision(sqs, config);
        List<QueueRef> second = SqsQueues.provision(sqs, config);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void messageReceivedMaxReceiveCountTimesMovesToDeadLetterQueue() {
        HeraldConfig.Sqs defaults = sqsConfig(embedded.endpoint(), List.of(uniqueQueueName("dlq-move")));
        HeraldConfig.Sqs config = new HeraldConfig.Sqs(
                defaults.endpoint(),
                defaults.region(),
                defaults.queues(),
                defaults.deadLetterSuffix(),
                2,
                defaults.visibilityTimeout(),
                defaults.maxConnections());
        QueueRef ref = SqsQueues.provision(sqs, config).getFirst();
        sqs.sendMessage(b -> b.queueUrl(ref.url()).messageBody("poison"));

        for (int i = 0; i < 2; i++) {
            Message m = SqsTesting.drain(sqs, ref.url(), 1).getFirst();
            sqs.changeMessageVisibility(
                    b -> b.queueUrl(ref.url()).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }

        assertThat(sqs.receiveMessage(b -> b.queueUrl(ref.url()).waitTimeSeconds(1))
                        .messages())
                .isEmpty();
        assertThat(SqsTesting.drain(sqs, ref.deadLetterUrl(), 1))
                .extracting(Message::body)
                .containsExactly("poison");
    }

    @Test
    void resolveFindsProvisionedQueues() {
        HeraldConfig.Sqs config =
                sqsConfig(embedded.endpoint(), List.of(uniqueQueueName("res-a"), uniqueQueueName("res-b")));
        List<QueueRef> provisioned = SqsQueues.provision(sqs, config);

        assertThat(SqsQueues.resolve(sqs, config)).isEqualTo(provisioned);
    }

    @Test
    void resolveNamesEveryMissingQueueAndDeadLetterQueue() {
        String present = uniqueQueueName("present");
        String absent = uniqueQueueName("absent");
        SqsQueues.provision(sqs, sqsConfig(embedded.endpoint(), List.of(present)));

        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> SqsQueues.resolve(sqs, sqsConfig(embedded.endpoint(), List.of(present, absent))));

        assertThat(e.problems())
                .containsExactly(
                        "sqs.queues (HERALD_SQS_QUEUES): queue '" + absent + "' does not exist at "
                                + embedded.endpoint() + "; create it (the CDK stack does) or fix the name",
                        "sqs.queues (HERALD_SQS_QUEUES): queue '" + absent + "-dlq' does not exist at "
                                + embedded.endpoint() + "; create it (the CDK stack does) or fix the name");
    }

    @Test
    void resolveNamesAMissingDeadLetterQueueOfAnExistingQueue() {
        String name = uniqueQueueName("no-dlq");
        sqs.createQueue(b -> b.queueName(name));

        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> SqsQueues.resolve(sqs, sqsConfig(embedded.endpoint(), List.of(name))));

        assertThat(e.problems()).singleElement().asString().contains("'" + name + "-dlq' does not exist");
    }

    @Test
    void secondServerOnABusyPortFailsNamingThePort() {
        int busy = embedded.port();

        IllegalStateException e = catchThrowableOfType(
                IllegalStateException.class, () -> EmbeddedSqs.start(busy).close());

        assertThat(e).hasMessageContaining("127.0.0.1:" + busy);
    }

    private Map<QueueAttributeName, String> attributes(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes();
    }
}
