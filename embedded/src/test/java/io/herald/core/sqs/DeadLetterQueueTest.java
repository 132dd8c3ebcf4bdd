package io.herald.core.sqs;

import static io.herald.core.sqs.SqsTesting.sqsConfig;
import static io.herald.core.sqs.SqsTesting.uniqueQueueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusTable;
import io.herald.core.status.StatusUpdate;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Dead-letter inspection and redrive against ElasticMQ, through the real SDK. */
class DeadLetterQueueTest {

    private static EmbeddedSqs embedded;
    private static SqsClient sqs;
    private static EmbeddedDynamoDb dynamoDb;
    private static DynamoDbClient dynamo;
    private static DynamoStatusStore status;

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private QueueRef queue;
    private DeadLetterQueue dlq;

    @BeforeAll
    static void startSqs() {
        embedded = EmbeddedSqs.start(0);
        sqs = SqsClients.create(sqsConfig(embedded.endpoint(), List.of("unused")));
        dynamoDb = EmbeddedDynamoDb.start(0);
        String table = DynamoTesting.uniqueTable("dlq");
        dynamo = DynamoDbClients.create(DynamoTesting.statusConfig(dynamoDb.endpoint(), table));
        StatusTable.createIfMissing(dynamo, table);
        status = new DynamoStatusStore(dynamo, table, Duration.ofDays(7), Clock.systemUTC());
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        embedded.close();
        dynamo.close();
        dynamoDb.close();
    }

    @BeforeEach
    void freshQueues() {
        queue = SqsQueues.provision(sqs, sqsConfig(embedded.endpoint(), List.of(uniqueQueueName("dlq"))))
                .getFirst();
        // No long poll: ElasticMQ answers a short poll from all its messages.
        dlq = new DeadLetterQueue(
                sqs, List.of(queue), codec, status, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ZERO);
    }

    private Envelope envelope(String channel, String target) {
        return Envelope.create(channel, target, Content.of("subject", "text"), Origin.api("tests"), Instant.now());
    }

    /** A message as the pipeline's Settler dead-letters it. */
    private void deadLetter(Envelope envelope, String reason, String provider) {
        deadLetterBody(codec.encode(envelope), reason, provider);
    }

    private void deadLetterBody(String body, String reason, String provider) {
        // Without a reason: as SQS's own redrive policy moves a message, with no attributes.
        Map<String, MessageAttributeValue> attributes = reason == null
                ? Map.of()
                : MessageAttributes.deadLettered(reason, queue.name(), Instant.now(), provider);
        sqs.sendMessage(b -> b.queueUrl(queue.deadLetterUrl()).messageBody(body).messageAttributes(attributes));
    }

    /** Every message in the queue, received and deleted: what is really there. */
    private static List<Message> takeAll(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(0)
                            .messageAttributeNames("All")
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
            batch.forEach(m -> sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(m.receiptHandle())));
        }
    }

    @Test
    void listShowsEachMessageWithItsReasonAndLeavesEveryOneVisible() {
        Envelope rejected = envelope("email", "bad@example.org");
        Envelope gaveUp = envelope("telegram", "123456");
        deadLetter(rejected, "550 mailbox unavailable", "ses");
        deadLetter(gaveUp, "gave up after 5 attempts: HTTP 502", "telegram");
        for (int i = 0; i < 23; i++) {
            deadLetter(envelope("email", "n" + i + "@example.org"), "rejected " + i, "sendgrid");
        }

        List<DeadLetter> listed = dlq.list(DeadLetterFilter.ALL, 1000);

        assertThat(listed).hasSize(25).extracting(DeadLetter::id).doesNotHaveDuplicates();
        DeadLetter first = listed.stream()
                .filter(l -> l.isNamedBy(rejected.id()))
                .findFirst()
                .orElseThrow();
        assertThat(first.channel()).isEqualTo("email");
        assertThat(first.target()).isEqualTo("bad@example.org");
        assertThat(first.provider()).isEqualTo("ses");
        assertThat(first.reason()).isEqualTo("550 mailbox unavailable");
        assertThat(first.queue()).isEqualTo(queue.name());
        assertThat(first.deadLetterQueue()).isEqualTo(queue.name() + "-dlq");
        // Listing again sees the same messages at once: nothing was deleted or left hidden.
        assertThat(dlq.list(DeadLetterFilter.ALL, 1000)).hasSize(25);
        assertThat(takeAll(queue.deadLetterUrl())).hasSize(25);
    }

    @Test
    void listFiltersByChannelProviderAndReasonAndStopsAtTheLimit() {
        deadLetter(envelope("email", "a@example.org"), "550 mailbox unavailable", "ses");
        deadLetter(envelope("email", "b@example.org"), "send timed out after 10000 ms", "sendgrid");
        deadLetter(envelope("telegram", "42"), "403 bot was blocked", "telegram");

        assertThat(dlq.list(DeadLetterFilter.parse(List.of("channel=email")), 100))
                .extracting(DeadLetter::target)
                .containsExactlyInAnyOrder("a@example.org", "b@example.org");
        assertThat(dlq.list(DeadLetterFilter.parse(List.of("channel=EMAIL", "provider=sendgrid")), 100))
                .extracting(DeadLetter::target)
                .containsExactly("b@example.org");
        assertThat(dlq.list(DeadLetterFilter.parse(List.of("reason=Blocked")), 100))
                .extracting(DeadLetter::target)
                .containsExactly("42");
        assertThat(dlq.list(DeadLetterFilter.ALL, 2)).hasSize(2);
        assertThat(takeAll(queue.deadLetterUrl())).hasSize(3);
    }

    @Test
    void aMessageSqsMovedOrThatIsNotAnEnvelopeIsListedForWhatItIs() {
        deadLetterBody(codec.encode(envelope("email", "moved@example.org")), null, null);
        deadLetterBody("{not json", "malformed message: not JSON", null);

        List<DeadLetter> listed = dlq.list(DeadLetterFilter.ALL, 10);

        assertThat(listed).hasSize(2);
        DeadLetter moved = listed.stream()
                .filter(l -> "moved@example.org".equals(l.target()))
                .findFirst()
                .orElseThrow();
        assertThat(moved.reason()).isEqualTo(DeadLetterQueue.NO_REASON);
        assertThat(moved.provider()).isNull();
        DeadLetter malformed =
                listed.stream().filter(l -> l.envelopeId() == null).findFirst().orElseThrow();
        assertThat(malformed.id()).isEqualTo(malformed.messageId());
        assertThat(malformed.channel()).isNull();
        assertThat(malformed.body()).isEqualTo("{not json");
    }

    @Test
    void showFindsAMessageByEnvelopeIdOrSqsIdAndLeavesItThere() {
        Envelope wanted = envelope("email", "wanted@example.org");
        for (int i = 0; i < 12; i++) {
            deadLetter(envelope("email", "other" + i + "@example.org"), "other", "ses");
        }
        deadLetter(wanted, "550 no such user", "ses");

        DeadLetter shown = dlq.show(wanted.id()).orElseThrow();

        assertThat(shown.reason()).isEqualTo("550 no such user");
        assertThat(codec.decode(shown.body())).isEqualTo(wanted);
        assertThat(dlq.show(shown.messageId())).map(DeadLetter::envelopeId).contains(wanted.id());
        assertThat(dlq.show("no-such-id")).isEmpty();
        assertThat(takeAll(queue.deadLetterUrl())).hasSize(13);
    }

    @Test
    void redriveMovesTheSelectedMessagesBackAsNewMessagesAndKeepsTheRest() {
        List<Envelope> email = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            Envelope e = envelope("email", "e" + i + "@example.org");
            email.add(e);
            deadLetter(e, "gave up after 5 attempts: HTTP 503", "ses");
        }
        Envelope blocked = envelope("telegram", "7");
        deadLetter(blocked, "403 bot was blocked", "telegram");
        for (Envelope e : email) {
            status.record(new StatusUpdate(
                    e.id(), new DeliveryState.DeadLettered("gave up after 5 attempts: HTTP 503"), Instant.now()));
        }
        status.record(new StatusUpdate(blocked.id(), new DeliveryState.Rejected("403 bot was blocked"), Instant.now()));
        List<RedriveResult> progress = new ArrayList<>();

        RedriveResult result = dlq.redrive(DeadLetterFilter.parse(List.of("channel=email")), false, progress::add);

        assertThat(result).isEqualTo(new RedriveResult(15, 14, 14, 0, 0, 0, false));
        assertThat(progress).isNotEmpty().last().isEqualTo(result);
        List<Message> back = takeAll(queue.url());
        assertThat(back).extracting(m -> codec.decode(m.body())).containsExactlyInAnyOrderElementsOf(email);
        // A fresh message: no stale dead-letter attributes, and its first receive counts as attempt 1.
        assertThat(back).allSatisfy(m -> {
            assertThat(m.messageAttributes()).isEmpty();
            assertThat(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .isEqualTo("1");
        });
        List<Message> left = takeAll(queue.deadLetterUrl());
        assertThat(left).extracting(m -> codec.decode(m.body()).channel()).containsExactly("telegram");
        // Their statuses start over, so the pipeline's new attempts show; the one left keeps its own.
        assertThat(email)
                .allSatisfy(e ->
                        assertThat(status.find(e.id())).map(StatusUpdate::state).contains(new DeliveryState.Queued()));
        assertThat(status.find(blocked.id()))
                .map(StatusUpdate::state)
                .contains(new DeliveryState.Rejected("403 bot was blocked"));
    }

    @Test
    void aMessageThatIsDeadLetteredAgainWhileTheRedriveRunsIsMovedOnlyOnce() {
        List<Envelope> failing = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Envelope e = envelope("matrix", "!room" + i + ":example.org");
            failing.add(e);
            deadLetter(e, "no provider configured for channel 'matrix'", null);
        }

        // After each batch, do what a running pipeline without a matrix provider does: take the
        // redriven messages off the queue and dead-letter them again, as new messages.
        RedriveResult result = dlq.redrive(
                DeadLetterFilter.ALL,
                false,
                r -> takeAll(queue.url())
                        .forEach(m -> deadLetterBody(m.body(), "no provider configured for channel 'matrix'", null)));

        assertThat(result).isEqualTo(new RedriveResult(6, 3, 3, 0, 0, 3, false));
        assertThat(takeAll(queue.deadLetterUrl()))
                .extracting(m -> codec.decode(m.body()))
                .containsExactlyInAnyOrderElementsOf(failing);
    }

    @Test
    void aDryRunCountsWhatWouldMoveAndMovesNothing() {
        deadLetter(envelope("email", "a@example.org"), "timed out", "ses");
        deadLetter(envelope("email", "b@example.org"), "550 rejected", "ses");

        RedriveResult result = dlq.redrive(DeadLetterFilter.parse(List.of("reason=timed")), true, r -> {});

        assertThat(result).isEqualTo(new RedriveResult(2, 1, 0, 0, 0, 0, true));
        assertThat(takeAll(queue.url())).isEmpty();
        assertThat(takeAll(queue.deadLetterUrl())).hasSize(2);
    }

    @Test
    void aFilterThatIsNotKeyEqualsValueIsRefusedByName() {
        assertThatThrownBy(() -> DeadLetterFilter.parse(List.of("colour=red")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad filter 'colour=red'");
        assertThatThrownBy(() -> DeadLetterFilter.parse(List.of("channel"))).hasMessageContaining("'channel'");
        assertThatThrownBy(() -> DeadLetterFilter.parse(List.of("reason="))).hasMessageContaining("'reason='");
    }
}
