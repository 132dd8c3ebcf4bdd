package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.Sender;
import io.herald.core.sqs.QueueRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /v1/notifications}: the receiver syntax, one message per receiver, refusals with reasons. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsApiTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private ApiTestbed bed;
    private List<QueueRef> queues;
    private HeraldApi api;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        queues = bed.freshQueues(1);
        api = bed.start(ApiTestbed.DEFAULT_API, queues, b -> b.clock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private ApiTestbed.Answer notify(String body) throws Exception {
        return bed.post(api, "/v1/notifications", body);
    }

    @Test
    void everyReceiverGetsItsOwnMessageAndItsOwnId() throws Exception {
        ApiTestbed.Answer answer = notify("""
                {"to": "mailto:ops@example.org, telegram:123456, matrix:!room:example.org, carol@example.org",
                 "from": "herald@example.org", "fromName": "Herald", "title": "Job 42 ended", "text": "Exit 0",
                 "html": "<p>Exit 0</p>", "facts": [{"label": "Partition", "value": "compute"}]}""");

        assertThat(answer.status()).isEqualTo(202);
        JsonNode notifications = answer.json().get("notifications");
        assertThat(notifications).hasSize(4);
        assertThat(notifications.findValuesAsText("receiver"))
                .containsExactly(
                        "mailto:ops@example.org",
                        "telegram:123456",
                        "matrix:!room:example.org",
                        "mailto:carol@example.org");
        assertThat(notifications.findValuesAsText("state")).containsOnly("queued");
        assertThat(answer.json().get("refused")).isEmpty();
        assertThat(answer.json().has("failed")).isFalse();

        Map<String, Envelope> onQueue =
                bed.drain(queues.getFirst(), 4).stream().collect(Collectors.toMap(Envelope::id, e -> e));
        for (JsonNode n : notifications) {
            String id = n.get("id").asText();
            assertThat(n.get("status").asText()).isEqualTo("/v1/notifications/" + id);
            Envelope envelope = onQueue.get(id);
            assertThat(envelope).as(id).isNotNull();
            assertThat(envelope.channel()).isEqualTo(n.get("channel").asText());
            assertThat(envelope.target()).isEqualTo(n.get("target").asText());
            assertThat(envelope.sender()).isEqualTo(new Sender("herald@example.org", "Herald"));
            assertThat(envelope.content().title()).isEqualTo("Job 42 ended");
            assertThat(envelope.content().text()).isEqualTo("Exit 0");
            assertThat(envelope.content().html()).isEqualTo("<p>Exit 0</p>");
            assertThat(envelope.content().facts()).containsExactly(new Fact("Partition", "compute"));
            assertThat(envelope.origin()).isEqualTo(Origin.api("anonymous"));
            assertThat(envelope.createdAt()).isEqualTo(NOW);
        }
    }

    @Test
    void refusedReceiversAreListedWithPositionAndReasonAndTheRestAreSent() throws Exception {
        ApiTestbed.Answer answer = notify("""
                {"to": "telegram:123, fax:555, mailto:not-an-address", "from": "a@example.org", "text": "hi"}""");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("notifications").findValuesAsText("receiver"))
                .containsExactly("telegram:123");
        JsonNode refused = answer.json().get("refused");
        assertThat(refused).hasSize(2);
        assertThat(refused.get(0).get("position").asInt()).isEqualTo(2);
        assertThat(refused.get(0).get("item").asText()).isEqualTo(" fax:555");
        assertThat(refused.get(0).get("reason").asText()).startsWith("unknown scheme 'fax'");
        assertThat(refused.get(1).get("position").asInt()).isEqualTo(3);
        assertThat(refused.get(1).get("reason").asText()).contains("has no '@'");
        bed.drain(queues.getFirst(), 1);
    }

    @Test
    void subjectIsAcceptedAsTheTitle() throws Exception {
        ApiTestbed.Answer answer = notify("""
                {"to": "telegram:1", "subject": "Hello", "text": "hi"}""");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(bed.drain(queues.getFirst(), 1).getFirst().content().title()).isEqualTo("Hello");
    }

    @Test
    void noDeliverableReceiverIs422NamingToWithEveryRefusal() throws Exception {
        ApiTestbed.Answer answer = notify("""
                {"to": "fax:1,,", "text": "hi"}""");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors()).containsOnlyKeys("to");
        assertThat(answer.errors().get("to")).startsWith("No receiver can be delivered to: item 1 'fax:1'");
        assertThat(answer.json().get("refused")).hasSize(3);
    }

    @Test
    void everyInvalidFieldIsNamedIn422() throws Exception {
        ApiTestbed.Answer answer = notify("""
                {"from": "nobody", "fromName": "A\\nB", "title": "x", "subject": "y", "text": " ",
                 "facts": [{"label": "", "value": "v"}], "priority": "high"}""");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors())
                .containsExactly(
                        Map.entry("to", "To is required"),
                        Map.entry("from", "From is not a valid email: it has no '@'"),
                        Map.entry("fromName", "From name must not contain line breaks"),
                        Map.entry("subject", "Give a title or a subject (they are the same thing), not both"),
                        Map.entry("text", "Text is required"),
                        Map.entry("facts", "Fact 1 has an empty label"),
                        Map.entry(
                                "priority",
                                "is not a field of a notification; the fields are to, from, fromName, title, "
                                        + "subject, text, html, facts, category, callbackUrl"));
    }

    @Test
    void emailReceiversNeedAFromAddress() throws Exception {
        ApiTestbed.Answer answer = notify("""
                {"to": "telegram:1,mailto:a@example.org", "text": "hi"}""");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors()).containsExactly(Map.entry("from", "From is required for email receivers"));
    }

    @Test
    void crlfInTheTitleIsRejected() throws Exception {
        ApiTestbed.Answer answer = notify("""
                {"to": "telegram:1", "title": "Hi\\r\\nBcc: x@example.org", "text": "hi"}""");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors()).containsExactly(Map.entry("title", "Title must not contain line breaks"));
    }

    @Test
    void moreThanFiftyReceiversIs422() throws Exception {
        String to = IntStream.rangeClosed(1, 51).mapToObj(i -> "telegram:" + i).collect(Collectors.joining(","));

        ApiTestbed.Answer answer = notify("{\"to\": \"" + to + "\", \"text\": \"hi\"}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors()).containsExactly(Map.entry("to", "To has 51 receivers; at most 50 per request"));
    }

    @Test
    void malformedFactsAre422() throws Exception {
        ApiTestbed.Answer notAList = notify("{\"to\": \"telegram:1\", \"text\": \"hi\", \"facts\": {\"a\": \"b\"}}");
        ApiTestbed.Answer notText =
                notify("{\"to\": \"telegram:1\", \"text\": \"hi\", \"facts\": [{\"label\": \"a\", \"value\": 1}]}");

        assertThat(notAList.errors())
                .containsExactly(Map.entry("facts", "Facts must be a list of {\"label\": ..., \"value\": ...}"));
        assertThat(notText.errors())
                .containsExactly(Map.entry("facts", "Fact 1 must be {\"label\": text, \"value\": text}"));
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() throws Exception {
        ApiTestbed.Answer answer = notify("[]");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors())
                .containsExactly(Map.entry("base", "request body must be a JSON object with \"to\" and \"text\""));
    }

    @Test
    void aNotificationTooLargeForSqsIs422OnText() throws Exception {
        HeraldApi roomy = bed.start(ApiTestbed.api(1_048_576), bed.freshQueues(1), b -> b);

        // U+FFFF is 3 bytes in the request but 6 in the envelope, which escapes what SQS refuses raw.
        ApiTestbed.Answer answer = bed.post(
                roomy, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"" + "\uFFFF".repeat(300_000) + "\"}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors()).containsOnlyKeys("text");
        assertThat(answer.errors().get("text")).startsWith("The notification is too large to queue");
    }
}
