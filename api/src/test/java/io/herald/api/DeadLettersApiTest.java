package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.ApiKeyEntry;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dead-letter endpoints the dashboard uses, against ElasticMQ's real dead-letter queues: the same listing, showing
 * and redrive as {@code herald dlq}, for admin keys only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLettersApiTest {

    private static final String ADMIN_TOKEN = "ops-" + UUID.randomUUID();
    private static final String SENDER_TOKEN = "ci-" + UUID.randomUUID();

    private ApiTestbed bed;
    private DynamoControlStore control;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        control = new DynamoControlStore(bed.dynamoClient, bed.table, Duration.ofMinutes(5), Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private HeraldApi api(List<QueueRef> queues) {
        return bed.start(
                ApiTestbed.DEFAULT_API, queues, b -> b.overview(bed.sqsClient).controlStore(control));
    }

    @Test
    void listsWithReasonAndWithoutBodyNarrowedByTheCliFilters() throws Exception {
        List<QueueRef> queues = bed.freshQueues(2);
        HeraldApi api = api(queues);
        Envelope bounced = deadLetter(queues.get(0), "email", "SES MessageRejected: not verified", "ses");
        deadLetter(queues.get(1), "telegram", "Telegram 400: chat not found", "telegram");

        JsonNode all = bed.get(api, "/v1/admin/dead-letters").json();
        JsonNode ses = bed.get(api, "/v1/admin/dead-letters?provider=SES&reason=verified")
                .json();
        JsonNode none = bed.get(api, "/v1/admin/dead-letters?channel=slack").json();

        assertThat(all.get("deadLetters")).hasSize(2);
        assertThat(all.get("more").asBoolean()).isFalse();
        assertThat(ses.get("deadLetters")).hasSize(1);
        JsonNode listed = ses.get("deadLetters").get(0);
        assertThat(listed.get("id").asText()).isEqualTo(bounced.id());
        assertThat(listed.get("reason").asText()).isEqualTo("SES MessageRejected: not verified");
        assertThat(listed.get("channel").asText()).isEqualTo("email");
        assertThat(listed.get("queue").asText()).isEqualTo(queues.get(0).name());
        assertThat(listed.has("body")).isFalse();
        assertThat(none.get("deadLetters")).isEmpty();
        assertThat(waiting(queues.get(0)) + waiting(queues.get(1)))
                .as("listing leaves them where they are")
                .isEqualTo(2);
    }

    @Test
    void aLimitCutsTheListAndSaysThereIsMore() throws Exception {
        List<QueueRef> queues = bed.freshQueues(1);
        HeraldApi api = api(queues);
        for (int i = 0; i < 3; i++) {
            deadLetter(queues.get(0), "email", "timed out", "ses");
        }

        JsonNode two = bed.get(api, "/v1/admin/dead-letters?limit=2").json();
        ApiTestbed.Answer bad = bed.get(api, "/v1/admin/dead-letters?limit=none");

        assertThat(two.get("deadLetters")).hasSize(2);
        assertThat(two.get("more").asBoolean()).isTrue();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errors()).containsOnlyKeys("limit");
    }

    @Test
    void showsOneWithItsBodyAnd404sAnUnknownId() throws Exception {
        List<QueueRef> queues = bed.freshQueues(1);
        HeraldApi api = api(queues);
        Envelope lost = deadLetter(queues.get(0), "email", "SES MessageRejected", "ses");

        ApiTestbed.Answer shown = bed.get(api, "/v1/admin/dead-letters/" + lost.id());
        ApiTestbed.Answer unknown = bed.get(api, "/v1/admin/dead-letters/0190-no-such-id");

        assertThat(shown.status()).isEqualTo(200);
        assertThat(bed.codec.decode(shown.json().get("body").asText())).isEqualTo(lost);
        assertThat(shown.json().get("provider").asText()).isEqualTo("ses");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errors().get("base")).contains("0190-no-such-id");
    }

    @Test
    void aDryRunCountsAndMovesNothingThenTheRedriveMovesOnlyWhatTheFilterSelects() throws Exception {
        List<QueueRef> queues = bed.freshQueues(1);
        HeraldApi api = api(queues);
        Envelope ses = deadLetter(queues.get(0), "email", "SES throttled", "ses");
        deadLetter(queues.get(0), "telegram", "Telegram 400", "telegram");

        JsonNode dry = bed.post(api, "/v1/admin/dead-letters/redrive", "{\"provider\": \"ses\", \"dryRun\": true}")
                .json();

        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(dry.get("matched").asInt()).isEqualTo(1);
        assertThat(dry.get("moved").asInt()).isZero();
        assertThat(waiting(queues.get(0))).isEqualTo(2);

        JsonNode moved = bed.post(api, "/v1/admin/dead-letters/redrive", "{\"provider\": \"ses\"}")
                .json();

        assertThat(moved.get("moved").asInt()).isEqualTo(1);
        assertThat(moved.get("examined").asInt()).isEqualTo(2);
        assertThat(bed.drain(queues.get(0), 1)).containsExactly(ses);
        assertThat(waiting(queues.get(0)))
                .as("the telegram one stays dead-lettered")
                .isEqualTo(1);
        assertThat(bed.get(api, "/v1/notifications/" + ses.id())
                        .json()
                        .get("state")
                        .asText())
                .as("its status starts over")
                .isEqualTo("queued");
    }

    @Test
    void aBadRedriveBodyIsRefusedNamingTheFieldAndMovesNothing() throws Exception {
        List<QueueRef> queues = bed.freshQueues(1);
        HeraldApi api = api(queues);
        deadLetter(queues.get(0), "email", "SES throttled", "ses");

        ApiTestbed.Answer answer = bed.post(
                api, "/v1/admin/dead-letters/redrive", "{\"colour\": \"red\", \"dryRun\": \"yes\", \"channel\": 5}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors()).containsOnlyKeys("colour", "dryRun", "channel");
        assertThat(waiting(queues.get(0))).isEqualTo(1);
    }

    @Test
    void needAnAdminKey() throws Exception {
        List<QueueRef> queues = bed.freshQueues(1);
        HeraldApi api = bed.start(
                ApiTestbed.DEFAULT_API,
                queues,
                b -> b.overview(bed.sqsClient)
                        .controlStore(control)
                        .access(ApiAccess.keys(List.of(
                                key("name=ops sha256=" + ApiKeyEntry.hash(ADMIN_TOKEN)
                                        + " senders=* rate=100/s role=admin"),
                                key("name=ci sha256=" + ApiKeyEntry.hash(SENDER_TOKEN) + " senders=* rate=100/s")))));
        deadLetter(queues.get(0), "email", "SES throttled", "ses");
        List<Integer> statuses = new ArrayList<>();
        for (String token : new String[] {null, SENDER_TOKEN}) {
            for (HttpRequest.Builder request : List.of(
                    HttpRequest.newBuilder(ApiTestbed.uri(api, "/v1/admin/dead-letters"))
                            .GET(),
                    HttpRequest.newBuilder(ApiTestbed.uri(api, "/v1/admin/dead-letters/x"))
                            .GET(),
                    HttpRequest.newBuilder(ApiTestbed.uri(api, "/v1/admin/dead-letters/redrive"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}")))) {
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                statuses.add(bed.send(request.build()).status());
            }
        }

        assertThat(statuses).containsExactly(401, 401, 401, 403, 403, 403);
        assertThat(bed.get(api, "/v1/admin/dead-letters", "Authorization", "Bearer " + ADMIN_TOKEN)
                        .status())
                .isEqualTo(200);
        assertThat(waiting(queues.get(0))).isEqualTo(1);
    }

    private static ApiKeyEntry key(String text) {
        return ((ApiKeyEntry.Parsed.Valid) ApiKeyEntry.parse(text)).entry();
    }

    private long waiting(QueueRef queue) {
        Map<String, String> attributes = bed.sqsClient
                .getQueueAttributes(b -> b.queueUrl(queue.deadLetterUrl())
                        .attributeNamesWithStrings(
                                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings();
        return Long.parseLong(attributes.get("ApproximateNumberOfMessages"))
                + Long.parseLong(attributes.get("ApproximateNumberOfMessagesNotVisible"));
    }

    private Envelope deadLetter(QueueRef queue, String channel, String reason, String provider) {
        Envelope envelope = Envelope.create(
                channel,
                "email".equals(channel) ? "nobody@example.org" : "12345",
                Content.of("Lost", "Body"),
                Origin.api("test"),
                Instant.now());
        bed.sqsClient.sendMessage(b -> b.queueUrl(queue.deadLetterUrl())
                .messageBody(bed.codec.encode(envelope))
                .messageAttributes(MessageAttributes.deadLettered(reason, queue.name(), Instant.now(), provider)));
        return envelope;
    }
}
