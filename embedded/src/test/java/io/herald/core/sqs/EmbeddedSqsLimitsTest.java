package io.herald.core.sqs;

import static io.herald.core.sqs.SqsTesting.sqsConfig;
import static io.herald.core.sqs.SqsTesting.uniqueQueueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.herald.embedded.EmbeddedSqs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * What the embedded SQS (ElasticMQ 1.7.1) enforces about message size, compared with AWS SQS (1 MiB = 1,048,576 bytes
 * per message and per batch since August 2025). Other modules test against it, so they need to know where it is
 * stricter or laxer than the real thing.
 */
class EmbeddedSqsLimitsTest {

    private static final int MIB = 1_048_576;

    private static EmbeddedSqs embedded;
    private static SqsClient sqs;
    private String queueUrl;

    @BeforeAll
    static void start() {
        embedded = EmbeddedSqs.start(0);
        sqs = SqsClients.create(sqsConfig(embedded.endpoint(), List.of("unused")));
    }

    @BeforeEach
    void newQueue() {
        String name = uniqueQueueName("limits");
        queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        embedded.close();
    }

    @Test
    void acceptsAMessageOfOneMebibyteLikeSqsSinceAugust2025() {
        String body = "x".repeat(MIB);

        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));

        String received = SqsTesting.drain(sqs, queueUrl, 1).getFirst().body();
        assertThat(received).isEqualTo(body);
    }

    @Test
    void refusesAMessageOneByteOverOneMebibyte() {
        AwsServiceException e = catchThrowableOfType(
                AwsServiceException.class,
                () -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("x".repeat(MIB + 1))));

        // AWS SQS answers InvalidParameterValue here; ElasticMQ uses another code for the same refusal.
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeValue");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("MessageTooLong");
    }

    @Test
    void measuresCharactersNotBytesSoHeraldMustCountBytesItself() {
        // 400,000 '€' are 1,200,000 UTF-8 bytes: AWS SQS refuses this, ElasticMQ 1.7.1 counts 400,000 characters.
        String body = "€".repeat(400_000);
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(MIB);

        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));

        assertThat(SqsTesting.drain(sqs, queueUrl, 1).getFirst().body()).isEqualTo(body);
    }

    @Test
    void refusesAWholeBatchWhoseBodiesTogetherExceedOneMebibyte() {
        // AWS SQS refuses such a batch too, with BatchRequestTooLong; SqsProducer never sends one.
        String body = "y".repeat(600_000);

        AwsServiceException e = catchThrowableOfType(
                AwsServiceException.class,
                () -> sqs.sendMessageBatch(b -> b.queueUrl(queueUrl)
                        .entries(
                                r -> r.id("0").messageBody(body), r -> r.id("1").messageBody(body))));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("MessageTooLong");
    }

    @Test
    void measuresABatchInCharactersNotBytesToo() {
        // 2 × 200,000 '€' = 1,200,000 bytes, which AWS SQS refuses; ElasticMQ counts 400,000 characters.
        String body = "€".repeat(200_000);

        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl)
                .entries(r -> r.id("0").messageBody(body), r -> r.id("1").messageBody(body)));

        assertThat(response.failed()).isEmpty();
        assertThat(SqsTesting.drain(sqs, queueUrl, 2)).hasSize(2);
    }
}
