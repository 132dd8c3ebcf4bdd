package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.idempotency.DynamoIdempotencyStore;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The Idempotency-Key header: a repeat gets the first answer and queues nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyApiTest {

    private ApiTestbed bed;
    private List<QueueRef> queues;
    private HeraldApi api;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        queues = bed.freshQueues(1);
        api = bed.start(ApiTestbed.DEFAULT_API, queues, b -> b);
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aRepeatReturnsTheFirstAnswerAndQueuesNothing() throws Exception {
        String key = key();
        String body = "{\"to\": \"telegram:1,telegram:2\", \"text\": \"once\"}";

        ApiTestbed.Answer first = bed.post(api, "/v1/notifications", body, "Idempotency-Key", key);
        ApiTestbed.Answer second = bed.post(api, "/v1/notifications", body, "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(bed.drainExactly(queues.getFirst(), 2, Duration.ofSeconds(3)))
                .hasSize(2);
    }

    @Test
    void theGomailEndpointHonoursTheKeyToo() throws Exception {
        String key = key();

        ApiTestbed.Answer first = bed.post(api, "/email/send", bed.validEmail(), "Idempotency-Key", key);
        ApiTestbed.Answer second = bed.post(api, "/email/send", bed.validEmail(), "Idempotency-Key", key);

        assertThat(second.json().get("messageId").asText())
                .isEqualTo(first.json().get("messageId").asText());
        assertThat(bed.drainExactly(queues.getFirst(), 1, Duration.ofSeconds(3)))
                .hasSize(1);
    }

    @Test
    void theSameJsonWrittenDifferentlyIsTheSameRequest() throws Exception {
        String key = key();

        ApiTestbed.Answer first =
                bed.post(api, "/v1/notifications", "{\"to\":\"telegram:1\",\"text\":\"x\"}", "Idempotency-Key", key);
        ApiTestbed.Answer second = bed.post(
                api, "/v1/notifications", "{ \"text\" : \"x\",\n \"to\" : \"telegram:1\" }", "Idempotency-Key", key);

        assertThat(second.text()).isEqualTo(first.text());
        bed.drain(queues.getFirst(), 1);
    }

    @Test
    void theSameKeyWithADifferentBodyIs422() throws Exception {
        String key = key();
        bed.post(api, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"one\"}", "Idempotency-Key", key);

        ApiTestbed.Answer other = bed.post(
                api, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"two\"}", "Idempotency-Key", key);

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errors())
                .containsExactly(Map.entry(
                        "Idempotency-Key",
                        "was used in the last 24h for a different request; use a new key for a new request"));
        assertThat(bed.drainExactly(queues.getFirst(), 1, Duration.ofSeconds(3)))
                .hasSize(1);
    }

    @Test
    void theSameKeyOnTheOtherEndpointIs422() throws Exception {
        String key = key();
        bed.post(api, "/email/send", bed.validEmail(), "Idempotency-Key", key);

        ApiTestbed.Answer other = bed.post(api, "/v1/notifications", bed.validEmail(), "Idempotency-Key", key);

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errors()).containsOnlyKeys("Idempotency-Key");
        bed.drain(queues.getFirst(), 1);
    }

    /** As Stripe and the IETF Idempotency-Key draft do: a request refused as invalid did nothing; its key is free. */
    @Test
    void aRequestRefusedAsInvalidLeavesItsKeyFreeForTheFixedRequest() throws Exception {
        String key = key();

        ApiTestbed.Answer refused =
                bed.post(api, "/v1/notifications", "{\"to\": \"telegram:1\"}", "Idempotency-Key", key);
        ApiTestbed.Answer fixed = bed.post(
                api, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"fixed\"}", "Idempotency-Key", key);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(fixed.status()).as(fixed.text()).isEqualTo(202);
        assertThat(fixed.header("Idempotent-Replayed")).isNull();
        assertThat(bed.drainExactly(queues.getFirst(), 1, Duration.ofSeconds(3)))
                .hasSize(1);
    }

    @Test
    void aKeyStillInProgressIs409WithRetryAfter() throws Exception {
        String key = key();
        String body = "{\"to\": \"telegram:1\", \"text\": \"slow\"}";
        // Another API instance has claimed the key and not answered yet.
        DynamoIdempotencyStore otherInstance = bed.idempotencyStore();
        otherInstance.claim(
                "anonymous", key, new ApiJson().fingerprint("/v1/notifications", bed.mapper.readTree(body)));

        ApiTestbed.Answer answer = bed.post(api, "/v1/notifications", body, "Idempotency-Key", key);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.header("Retry-After")).isEqualTo("1");
        assertThat(answer.errors().get("base")).contains("still being processed");
    }

    @Test
    void aKeyThatIsNotPrintableAsciiOrTooLongIs400() throws Exception {
        ApiTestbed.Answer tooLong = bed.post(
                api,
                "/v1/notifications",
                "{\"to\": \"telegram:1\", \"text\": \"x\"}",
                "Idempotency-Key",
                "k".repeat(256));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.errors())
                .containsExactly(Map.entry("Idempotency-Key", "must be 1 to 255 characters, e.g. a UUID"));
        assertThat(Intake.idempotencyKeyProblem("ключ")).hasValue("must be printable ASCII, e.g. a UUID");
    }

    @Test
    void anAnswerWorthRetryingIsNotRememberedSoTheRetryGoesThrough() throws Exception {
        String key = key();
        String endpoint = "http://127.0.0.1:" + closedPort();
        SqsClient unreachable = SqsClients.create(ApiTestbed.sqsConfig(endpoint, List.of("gone")));
        HeraldApi stranded = HeraldApi.builder(
                        ApiTestbed.DEFAULT_API,
                        new SqsProducer(unreachable, bed.codec),
                        List.of(new QueueRef(
                                "gone", endpoint + "/000000000000/gone", endpoint + "/000000000000/gone-dlq")))
                .statusStore(bed.statusStore(java.time.Clock.systemUTC()))
                .idempotencyStore(bed.idempotencyStore())
                .build()
                .start();

        ApiTestbed.Answer down = bed.post(
                stranded, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"x\"}", "Idempotency-Key", key);
        ApiTestbed.Answer retried =
                bed.post(api, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"x\"}", "Idempotency-Key", key);

        stranded.close();
        unreachable.close();
        assertThat(down.status()).as(down.text()).isEqualTo(503);
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        bed.drain(queues.getFirst(), 1);
    }

    private static int closedPort() throws Exception {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
