package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.ApiKeyEntry;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.control.PauseScope;
import io.herald.core.control.ProviderHealth;
import io.herald.core.control.QueueAge;
import io.herald.core.control.WorkerState;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.feedback.FeedbackDailyCounts;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@code GET /v1/admin/overview} against real sources: ElasticMQ's queues and dead-letter queues, DynamoDB Local
 * holding pauses and the health reports two pipeline instances published.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverviewApiTest {

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
    void showsQueueDepthsProviderHealthSummedOverInstancesPausesRejectionsAndDeadLetters() throws Exception {
        List<QueueRef> queues = bed.freshQueues(2);
        HeraldApi api = api(queues);
        Instant now = Instant.now();
        control.publishHealth(new ProviderHealth("host-a:1", "email", "ses", WorkerState.UNHEALTHY, 100, 7, 2, now));
        control.publishHealth(
                new ProviderHealth("host-b:2", "email", "ses", WorkerState.HEALTHY, 20, 1, 0, now.minusSeconds(3)));
        control.publishHealth(new ProviderHealth("host-a:1", "email", "sendgrid", WorkerState.HEALTHY, 50, 0, 0, now));
        control.publishHealth(new ProviderHealth("host-a:1", "slack", "slack", WorkerState.HEALTHY, 5, 0, 0, now));
        control.pause(PauseScope.channel("slack"), "cli");
        assertThat(bed.post(api, "/v1/notifications", "{\"to\": \"telegram:1, fax:123, telegram:2\", \"text\": \"hi\"}")
                        .status())
                .isEqualTo(202);
        deadLetter(queues.get(1), "SES MessageRejected: Email address is not verified");

        JsonNode overview = bed.get(api, "/v1/admin/overview").json();

        assertThat(Instant.parse(overview.get("generatedAt").asText())).isBetween(now.minusSeconds(5), Instant.now());
        JsonNode first = overview.get("queues").get(0);
        assertThat(first.get("queue").asText()).isEqualTo(queues.get(0).name());
        assertThat(first.get("depth").asLong()
                        + first.get("inFlight").asLong()
                        + overview.get("queues").get(1).get("depth").asLong())
                .as("both queued notifications")
                .isEqualTo(2);
        assertThat(first.has("oldestAgeSeconds")).isTrue();
        assertThat(first.get("oldestAgeFrom").asText())
                .as("no pipeline reported these queues")
                .isIn("empty", "no-pipeline-reporting");
        assertThat(first.get("channel").isNull()).isTrue();
        JsonNode secondDeadLetter = overview.get("queues").get(1).get("deadLetter");
        assertThat(secondDeadLetter.get("queue").asText())
                .isEqualTo(queues.get(1).deadLetterName());
        assertThat(secondDeadLetter.get("depth").asLong()).isEqualTo(1);

        JsonNode email = pool(overview, "email");
        assertThat(email.get("paused").asBoolean()).isFalse();
        JsonNode ses = worker(email, "ses");
        assertThat(ses.get("state").asText()).as("the newest report's state").isEqualTo("unhealthy");
        assertThat(ses.get("delivered").asLong()).isEqualTo(120);
        assertThat(ses.get("failed").asLong()).isEqualTo(8);
        assertThat(ses.get("probes").asLong()).isEqualTo(2);
        assertThat(ses.get("instances").asInt()).isEqualTo(2);
        assertThat(Instant.parse(ses.get("updatedAt").asText()))
                .isEqualTo(now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(worker(email, "sendgrid").get("state").asText()).isEqualTo("healthy");
        JsonNode slack = pool(overview, "slack");
        assertThat(slack.get("paused").asBoolean()).isTrue();
        assertThat(worker(slack, "slack").get("state").asText()).isEqualTo("paused");
        assertThat(worker(slack, "slack").get("paused").asBoolean()).isTrue();

        JsonNode pause = overview.get("pauses").get(0);
        assertThat(pause.get("scope").asText()).isEqualTo("channel");
        assertThat(pause.get("name").asText()).isEqualTo("slack");
        assertThat(pause.get("by").asText()).isEqualTo("cli");

        JsonNode rejection = overview.at("/recent/rejections/0");
        assertThat(rejection.get("receiver").asText()).isEqualTo("fax:123");
        assertThat(rejection.get("reason").asText()).contains("fax");
        assertThat(rejection.get("id").isNull()).as("never queued, so no id").isTrue();
        JsonNode deadLetter = overview.at("/recent/deadLetters/0");
        assertThat(deadLetter.get("reason").asText()).isEqualTo("SES MessageRejected: Email address is not verified");
        assertThat(deadLetter.get("channel").asText()).isEqualTo("email");
        assertThat(deadLetter.get("id").asText()).matches("[0-9a-f-]{36}");

        assertThat(bed.sqsClient
                        .getQueueAttributes(b -> b.queueUrl(queues.get(1).deadLetterUrl())
                                .attributeNamesWithStrings("ApproximateNumberOfMessages"))
                        .attributesAsStrings()
                        .get("ApproximateNumberOfMessages"))
                .as("reading dead letters leaves them where they are")
                .isEqualTo("1");
        control.resume(PauseScope.channel("slack"));
    }

    @Test
    void showsEachQueuesOldestAgeFromLivePipelineReportsAndEachDeadLetterQueuesFromAPeek() throws Exception {
        List<QueueRef> queues = bed.freshQueues(2);
        HeraldApi api = api(queues);
        for (QueueRef queue : queues) {
            bed.sqsClient.sendMessage(b -> b.queueUrl(queue.url()).messageBody("waiting"));
        }
        Instant now = Instant.now();
        control.publishQueueAge(new QueueAge("host-a:1", queues.get(0).name(), now.minusSeconds(125), now));
        control.publishQueueAge(new QueueAge("host-b:2", queues.get(0).name(), now.minusSeconds(30), now));
        control.publishQueueAge(new QueueAge("host-c:3", queues.get(0).name(), null, now));
        // Stopped reporting longer ago than staleAfter (5 min here): its old message no longer counts.
        control.publishQueueAge(new QueueAge(
                "host-gone:4", queues.get(1).name(), now.minusSeconds(9000), now.minus(Duration.ofMinutes(6))));
        Instant deadLetteredBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        deadLetter(queues.get(1), "SES MessageRejected: Email address is not verified");

        JsonNode overview = bed.get(api, "/v1/admin/overview").json();
        Instant generatedAt = Instant.parse(overview.get("generatedAt").asText());

        JsonNode first = overview.get("queues").get(0);
        assertThat(first.get("oldestAgeSeconds").asLong())
                .as("the oldest over the live instances' reports")
                .isBetween(125L, 125 + Duration.between(now, generatedAt).toSeconds() + 1);
        assertThat(first.get("oldestAgeFrom").asText()).isEqualTo("pipeline");
        assertThat(first.at("/deadLetter/oldestAgeSeconds").asLong()).isZero();
        assertThat(first.at("/deadLetter/oldestAgeFrom").asText()).isEqualTo("empty");
        JsonNode second = overview.get("queues").get(1);
        assertThat(second.get("oldestAgeSeconds").isNull()).isTrue();
        assertThat(second.get("oldestAgeFrom").asText()).isEqualTo("no-pipeline-reporting");
        assertThat(second.at("/deadLetter/oldestAgeFrom").asText()).isEqualTo("sample");
        assertThat(second.at("/deadLetter/oldestAgeSeconds").asLong())
                .isBetween(0L, Duration.between(deadLetteredBefore, generatedAt).toSeconds() + 1);
        assertThat(bed.sqsClient
                        .getQueueAttributes(b -> b.queueUrl(queues.get(1).deadLetterUrl())
                                .attributeNamesWithStrings("ApproximateNumberOfMessages"))
                        .attributesAsStrings()
                        .get("ApproximateNumberOfMessages"))
                .as("the peek leaves the dead letter where it is")
                .isEqualTo("1");
    }

    @Test
    void showsWhyAProviderIsUnhealthySinceWhenParkedMessagesAndKeepsTheChartsHistoryForAReload() throws Exception {
        List<QueueRef> queues = bed.freshQueues(1);
        HeraldApi api = api(queues);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant turned = now.minusSeconds(90);
        control.publishHealth(new ProviderHealth(
                "host-a:1",
                "push",
                "matrix",
                WorkerState.UNHEALTHY,
                40,
                3,
                1,
                now,
                "Matrix 502 from https://matrix.example.org/_matrix/client/v3/rooms/…/send",
                turned));
        control.publishHealth(new ProviderHealth(
                "host-b:2",
                "push",
                "matrix",
                WorkerState.UNHEALTHY,
                2,
                3,
                0,
                now.minusSeconds(1),
                "Matrix timed out after 10s",
                turned.plusSeconds(5)));
        // A paused channel's messages wait as delayed copies: the column that shows them must count them.
        bed.sqsClient.sendMessage(
                b -> b.queueUrl(queues.get(0).url()).messageBody("parked").delaySeconds(600));

        JsonNode overview = bed.get(api, "/v1/admin/overview").json();
        JsonNode history = bed.get(api, "/v1/admin/overview/history").json();

        JsonNode matrix = worker(pool(overview, "push"), "matrix");
        assertThat(matrix.get("lastError").asText()).as("the newest report's").startsWith("Matrix 502");
        assertThat(Instant.parse(matrix.get("unhealthySince").asText()))
                .as("the earliest")
                .isEqualTo(turned);
        assertThat(overview.get("queues").get(0).get("delayed").asLong()).isEqualTo(1);
        assertThat(history.get("windowSeconds").asLong()).isEqualTo(3600);
        JsonNode sample = history.get("samples").get(history.get("samples").size() - 1);
        assertThat(sample.get("at").asText())
                .isEqualTo(overview.get("generatedAt").asText());
        assertThat(sample.at("/providers/matrix/delivered").asLong()).isEqualTo(42);
        assertThat(Instant.parse(sample.at("/providers/matrix/at").asText())).isEqualTo(now);
    }

    @Test
    void showsBounceAndComplaintRatesPerSenderDomainFromTheTablesDailyCounts() throws Exception {
        // Written as FeedbackRecorder writes them (pipeline and API alike), into DynamoDB Local's status table.
        FeedbackDailyCounts counts = new FeedbackDailyCounts(bed.dynamoClient, bed.table, Clock.systemUTC());
        String domain = "rates-" + UUID.randomUUID() + ".example";
        for (int i = 0; i < 19; i++) {
            counts.add("delivery", domain);
        }
        counts.add("hard_bounce", domain);
        counts.add("soft_bounce", domain);
        counts.add("complaint", domain);
        HeraldApi api = bed.start(
                ApiTestbed.DEFAULT_API,
                bed.freshQueues(1),
                b -> b.overview(bed.sqsClient).controlStore(control).feedbackRates(counts));

        JsonNode rates = bed.get(api, "/v1/admin/overview").json().get("feedbackRates");

        JsonNode entry = null;
        for (JsonNode e : rates) {
            if (e.get("senderDomain").asText().equals(domain)) {
                entry = e;
            }
        }
        assertThat(entry).as("the domain's rates").isNotNull();
        assertThat(entry.get("delivered").asLong()).isEqualTo(19);
        assertThat(entry.get("hardBounces").asLong()).isEqualTo(1);
        assertThat(entry.get("softBounces").asLong()).isEqualTo(1);
        assertThat(entry.get("complaints").asLong()).isEqualTo(1);
        assertThat(entry.get("bounceRate").asDouble()).isCloseTo(1.0 / 20, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(entry.get("complaintRate").asDouble())
                .isCloseTo(1.0 / 19, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void needsAnAdminKeyWhenTheApiHasKeys() throws Exception {
        HeraldApi api = bed.start(
                ApiTestbed.DEFAULT_API,
                bed.freshQueues(1),
                b -> b.overview(bed.sqsClient)
                        .controlStore(control)
                        .access(ApiAccess.keys(List.of(
                                key("name=ops sha256=" + ApiKeyEntry.hash(ADMIN_TOKEN)
                                        + " senders=* rate=100/s role=admin"),
                                key("name=ci sha256=" + ApiKeyEntry.hash(SENDER_TOKEN) + " senders=* rate=100/s")))));

        ApiTestbed.Answer without = bed.get(api, "/v1/admin/overview");
        ApiTestbed.Answer sender = bed.get(api, "/v1/admin/overview", "Authorization", "Bearer " + SENDER_TOKEN);
        ApiTestbed.Answer admin = bed.get(api, "/v1/admin/overview", "Authorization", "Bearer " + ADMIN_TOKEN);

        assertThat(without.status()).isEqualTo(401);
        assertThat(without.errors()).containsKey("base");
        assertThat(sender.status()).isEqualTo(403);
        assertThat(sender.errors().get("base"))
                .contains("'ci'")
                .contains("role=admin")
                .doesNotContain(SENDER_TOKEN);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.text()).doesNotContain(ADMIN_TOKEN);
    }

    private static ApiKeyEntry key(String text) {
        return ((ApiKeyEntry.Parsed.Valid) ApiKeyEntry.parse(text)).entry();
    }

    @Test
    void answers503WhenSqsCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (SqsClient unreachable = SqsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .build()) {
            HeraldApi api = bed.start(
                    ApiTestbed.DEFAULT_API,
                    bed.freshQueues(1),
                    b -> b.overview(unreachable).controlStore(control));

            ApiTestbed.Answer answer = bed.get(api, "/v1/admin/overview");

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isNotNull();
            assertThat(answer.errors()).containsExactly(Map.entry("base", "Service unavailable"));
        }
    }

    @Test
    void isNotServedWithoutItsSourcesAndTheLocalDemoIsNeverServedOutsideLocalMode() throws Exception {
        HeraldApi api = bed.start(b -> b);

        assertThat(bed.get(api, "/v1/admin/overview").status()).isEqualTo(404);
        assertThat(bed.get(api, "/v1/local/demo").status()).isEqualTo(404);
        assertThat(bed.post(api, "/v1/local/demo/providers/ses/break", "").status())
                .isEqualTo(404);
    }

    private void deadLetter(QueueRef queue, String reason) {
        Envelope envelope = Envelope.create(
                "email", "nobody@example.org", Content.of("Lost", "Body"), Origin.api("test"), Instant.now());
        bed.sqsClient.sendMessage(b -> b.queueUrl(queue.deadLetterUrl())
                .messageBody(bed.codec.encode(envelope))
                .messageAttributes(Map.of(
                        MessageAttributes.REASON, text(reason),
                        MessageAttributes.SOURCE_QUEUE, text(queue.name()),
                        MessageAttributes.DEAD_LETTERED_AT, text(Instant.now().toString()))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    private static JsonNode pool(JsonNode overview, String channel) {
        List<String> seen = new ArrayList<>();
        for (JsonNode pool : overview.get("pools")) {
            if (pool.get("channel").asText().equals(channel)) {
                return pool;
            }
            seen.add(pool.get("channel").asText());
        }
        throw new AssertionError("no pool " + channel + " among " + seen);
    }

    private static JsonNode worker(JsonNode pool, String provider) {
        for (JsonNode worker : pool.get("workers")) {
            if (worker.get("provider").asText().equals(provider)) {
                return worker;
            }
        }
        throw new AssertionError("no worker " + provider + " in " + pool);
    }
}
