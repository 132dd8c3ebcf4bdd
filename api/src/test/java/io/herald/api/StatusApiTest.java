package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.FeedbackStep;
import io.herald.core.status.StatusUpdate;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code GET /v1/notifications/{id}}: every delivery state, as the pipeline records it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusApiTest {

    /** Now-ish: the store treats statuses older than their TTL as gone. */
    private static final Instant AT = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    private ApiTestbed bed;
    private HeraldApi api;
    private DynamoStatusStore pipelineSide;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        api = bed.start(b -> b);
        pipelineSide = bed.statusStore(Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    @Test
    void aSentNotificationIsQueuedAsSoonAsItsIdIsReturned() throws Exception {
        ApiTestbed.Answer sent = bed.post(api, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"hi\"}");
        String path = sent.json().get("notifications").get(0).get("status").asText();

        ApiTestbed.Answer status = bed.get(api, path);

        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("state").asText()).isEqualTo("queued");
        assertThat(status.json().get("final").asBoolean()).isFalse();
        assertThat(status.json().get("id").asText()).isEqualTo(path.substring(path.lastIndexOf('/') + 1));
    }

    @Test
    void anEmailSentThroughTheGomailEndpointHasAStatusToo() throws Exception {
        String id = bed.post(api, "/email/send", bed.validEmail())
                .json()
                .get("messageId")
                .asText();

        assertThat(bed.get(api, "/v1/notifications/" + id).json().get("state").asText())
                .isEqualTo("queued");
    }

    private ApiTestbed.Answer statusAfter(DeliveryState state) throws Exception {
        String id = UUID.randomUUID().toString();
        pipelineSide.record(new StatusUpdate(id, state, AT));
        return bed.get(api, "/v1/notifications/" + id);
    }

    @Test
    void deliveredCarriesProviderMessageIdAndTime() throws Exception {
        ApiTestbed.Answer answer = statusAfter(new DeliveryState.Delivered("ses", "0100-abc"));

        assertThat(answer.json().get("state").asText()).isEqualTo("delivered");
        assertThat(answer.json().get("final").asBoolean()).isTrue();
        assertThat(answer.json().get("provider").asText()).isEqualTo("ses");
        assertThat(answer.json().get("providerMessageId").asText()).isEqualTo("0100-abc");
        assertThat(answer.json().get("at").asText()).isEqualTo(AT.toString());
    }

    @Test
    void theAnswerCarriesTheStatusHistoryOldestFirst() throws Exception {
        String id = bed.post(api, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"hi\"}")
                .json()
                .at("/notifications/0/id")
                .asText();
        java.time.Instant later = java.time.Instant.now().plusSeconds(5);
        pipelineSide.record(new StatusUpdate(id, new DeliveryState.Retrying(1, "HTTP 429 from Telegram"), later));
        pipelineSide.record(new StatusUpdate(id, new DeliveryState.Delivered("telegram", "42"), later.plusSeconds(2)));

        com.fasterxml.jackson.databind.JsonNode history =
                bed.get(api, "/v1/notifications/" + id).json().get("history");

        assertThat(history).hasSize(3);
        assertThat(history.findValuesAsText("state")).containsExactly("queued", "retrying", "delivered");
        assertThat(history.get(1).get("lastError").asText()).isEqualTo("HTTP 429 from Telegram");
        assertThat(history.get(2).get("provider").asText()).isEqualTo("telegram");
    }

    @Test
    void aBounceAfterDeliveryShowsAsTheStateWithTheProvidersReportsAndTheirTimes() throws Exception {
        String id = UUID.randomUUID().toString();
        pipelineSide.record(new StatusUpdate(id, new DeliveryState.Delivered("ses", "0100-abc"), AT));
        pipelineSide.recordFeedback(
                new FeedbackStep(id, "sns-1", "deferral", "ses", "421 4.7.0 try later", AT.plusSeconds(10), null));
        pipelineSide.recordFeedback(new FeedbackStep(
                id,
                "sns-2",
                "hard-bounce",
                "ses",
                "550 5.1.1 user unknown",
                AT.plusSeconds(70),
                new DeliveryState.Bounced(true, "550 5.1.1 user unknown", "ses")));

        com.fasterxml.jackson.databind.JsonNode answer =
                bed.get(api, "/v1/notifications/" + id).json();

        assertThat(answer.get("state").asText()).isEqualTo("bounced");
        assertThat(answer.get("reason").asText()).isEqualTo("hard bounce: 550 5.1.1 user unknown");
        assertThat(answer.get("history").findValuesAsText("state")).containsExactly("delivered", "bounced");
        assertThat(answer.at("/history/1/at").asText())
                .isEqualTo(AT.plusSeconds(70).toString());
        assertThat(answer.get("feedback").findValuesAsText("type")).containsExactly("deferral", "hard-bounce");
        assertThat(answer.at("/feedback/0/at").asText())
                .isEqualTo(AT.plusSeconds(10).toString());
        assertThat(answer.at("/feedback/0/detail").asText()).isEqualTo("421 4.7.0 try later");
        assertThat(answer.at("/feedback/1/provider").asText()).isEqualTo("ses");
    }

    @Test
    void aMessageWithoutFeedbackHasNoFeedbackList() throws Exception {
        assertThat(statusAfter(new DeliveryState.Delivered("ses", "0100-abc"))
                        .json()
                        .has("feedback"))
                .isFalse();
    }

    @Test
    void sendingCarriesTheProvider() throws Exception {
        ApiTestbed.Answer answer = statusAfter(new DeliveryState.Sending("outbox"));

        assertThat(answer.json().get("state").asText()).isEqualTo("sending");
        assertThat(answer.json().get("provider").asText()).isEqualTo("outbox");
        assertThat(answer.json().get("final").asBoolean()).isFalse();
    }

    @Test
    void retryingCarriesAttemptsAndTheLastError() throws Exception {
        ApiTestbed.Answer answer = statusAfter(new DeliveryState.Retrying(2, "HTTP 503 from SendGrid"));

        assertThat(answer.json().get("state").asText()).isEqualTo("retrying");
        assertThat(answer.json().get("attempts").asInt()).isEqualTo(2);
        assertThat(answer.json().get("lastError").asText()).isEqualTo("HTTP 503 from SendGrid");
    }

    @Test
    void rejectedAndDeadLetteredCarryTheReasonAndAreFinal() throws Exception {
        ApiTestbed.Answer rejected = statusAfter(new DeliveryState.Rejected("550 mailbox unknown"));
        ApiTestbed.Answer dead = statusAfter(new DeliveryState.DeadLettered("5 receives"));

        assertThat(rejected.json().get("state").asText()).isEqualTo("rejected");
        assertThat(rejected.json().get("reason").asText()).isEqualTo("550 mailbox unknown");
        assertThat(rejected.json().get("final").asBoolean()).isTrue();
        assertThat(dead.json().get("state").asText()).isEqualTo("dead-lettered");
        assertThat(dead.json().get("reason").asText()).isEqualTo("5 receives");
        assertThat(dead.json().get("final").asBoolean()).isTrue();
    }

    @Test
    void anUnknownIdIs404() throws Exception {
        ApiTestbed.Answer answer = bed.get(api, "/v1/notifications/" + UUID.randomUUID());

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.errors().get("base")).startsWith("No notification with id");
    }

    @Test
    void somethingThatIsNotAnIdIs400() throws Exception {
        ApiTestbed.Answer answer = bed.get(api, "/v1/notifications/hello");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors())
                .containsExactly(
                        Map.entry("base", "'hello' is not a notification id (a UUID as returned when it was sent)"));
    }

    @Test
    void anUnreachableStatusStoreIs503WithRetryAfter() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        HeraldConfig.Status nowhere = new HeraldConfig.Status(
                "http://127.0.0.1:" + closed,
                "us-east-1",
                "t-x",
                HeraldConfig.defaults().status().ttl());
        try (DynamoDbClient down = DynamoDbClients.create(nowhere)) {
            HeraldApi blind =
                    bed.start(b -> b.statusStore(new DynamoStatusStore(down, "t-x", nowhere.ttl(), Clock.systemUTC())));

            ApiTestbed.Answer answer = bed.get(blind, "/v1/notifications/" + UUID.randomUUID());

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.errors()).containsExactly(Map.entry("base", "Service unavailable"));
            assertThat(answer.header("Retry-After")).isEqualTo("5");
        }
    }

    @Test
    void anUnreachableStatusStoreDoesNotStopSending() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        HeraldConfig.Status nowhere = new HeraldConfig.Status(
                "http://127.0.0.1:" + closed,
                "us-east-1",
                "t-x",
                HeraldConfig.defaults().status().ttl());
        try (DynamoDbClient down = DynamoDbClients.create(nowhere)) {
            HeraldApi blind =
                    bed.start(b -> b.statusStore(new DynamoStatusStore(down, "t-x", nowhere.ttl(), Clock.systemUTC())));

            ApiTestbed.Answer answer =
                    bed.post(blind, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"hi\"}");

            assertThat(answer.status()).isEqualTo(202);
        }
    }
}
