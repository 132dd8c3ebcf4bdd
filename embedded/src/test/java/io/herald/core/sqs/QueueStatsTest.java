package io.herald.core.sqs;

import static io.herald.core.sqs.SqsTesting.sqsConfig;
import static io.herald.core.sqs.SqsTesting.uniqueQueueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.control.QueueAge;
import io.herald.core.sqs.QueueStats.AgeFrom;
import io.herald.core.sqs.QueueStats.Depth;
import io.herald.embedded.EmbeddedSqs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Counts and oldest ages of a queue and its dead-letter queue against ElasticMQ through the real SDK, with every
 * request recorded: a work queue is never received from, a dead-letter queue only when SQS counts messages waiting in
 * it.
 */
class QueueStatsTest {

    private static EmbeddedSqs embedded;
    private static SqsClient sqs;
    private static SqsTesting.RequestRecorder recorder;

    private QueueRef queue;

    @BeforeAll
    static void startSqs() {
        embedded = EmbeddedSqs.start(0);
        recorder = new SqsTesting.RequestRecorder();
        sqs = SqsTesting.recordingClient(embedded.endpoint(), recorder);
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        embedded.close();
    }

    @BeforeEach
    void freshQueue() {
        queue = SqsQueues.provision(sqs, sqsConfig(embedded.endpoint(), List.of(uniqueQueueName("stats"))))
                .getFirst();
        recorder.requests.clear();
    }

    private QueueStats stats(List<QueueAge> reports, Instant now) {
        return QueueStats.of(sqs, List.of(queue), reports, now).getFirst();
    }

    private List<ReceiveMessageRequest> receives() {
        return recorder.requestsOf(ReceiveMessageRequest.class);
    }

    private QueueAge report(String instance, String queueName, Instant oldestSentAt) {
        return new QueueAge(instance, queueName, oldestSentAt, Instant.now());
    }

    /** When a message was sent: SQS stamped it between these two. */
    private record Sent(Instant before, Instant after) {}

    private Sent deadLetter() {
        Instant before = Instant.now();
        sqs.sendMessage(b -> b.queueUrl(queue.deadLetterUrl()).messageBody("dead"));
        return new Sent(before, Instant.now());
    }

    @Test
    void countsWaitingInFlightAndDelayedMessagesOfAQueueAndItsDeadLetterQueue() {
        for (int i = 0; i < 3; i++) {
            sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("waiting"));
        }
        sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("delayed").delaySeconds(60));
        sqs.receiveMessage(b -> b.queueUrl(queue.url()).maxNumberOfMessages(1).visibilityTimeout(60));
        deadLetter();

        QueueStats stats = stats(List.of(), Instant.now());

        assertThat(stats.queue())
                .usingRecursiveComparison()
                .ignoringFields("oldestAgeSeconds", "oldestAgeFrom")
                .isEqualTo(new Depth(queue.name(), 2, 1, 1, null, null));
        assertThat(stats.deadLetter())
                .usingRecursiveComparison()
                .ignoringFields("oldestAgeSeconds", "oldestAgeFrom")
                .isEqualTo(new Depth(queue.deadLetterName(), 1, 0, 0, null, null));
    }

    @Test
    void aQueueHoldingOnlyDelayedMessagesIsNotReportedAsEmpty() {
        // What a paused channel leaves behind: its messages parked as delayed copies.
        sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("parked").delaySeconds(60));

        Depth work = stats(List.of(), Instant.now()).queue();

        assertThat(work.delayed()).isEqualTo(1);
        assertThat(work.oldestAgeFrom()).isNotEqualTo(AgeFrom.EMPTY);
        assertThat(work.oldestAgeSeconds()).isNull();
    }

    @Test
    void aDeadLetterQueuesOldestAgeIsPeekedAndItsMessagesStayWhereTheyAre() {
        Sent first = deadLetter();
        deadLetter();
        Instant asked = first.after().plus(Duration.ofHours(2));
        recorder.requests.clear();

        Depth dead = stats(List.of(), asked).deadLetter();

        assertThat(dead.oldestAgeFrom()).isEqualTo(AgeFrom.SAMPLE);
        assertThat(dead.oldestAgeSeconds())
                .as("from the older message's SentTimestamp")
                .isBetween(
                        Duration.between(first.after(), asked).toSeconds(),
                        Duration.between(first.before(), asked).toSeconds());
        ReceiveMessageRequest peek = receives().getFirst();
        assertThat(peek.queueUrl()).isEqualTo(queue.deadLetterUrl());
        assertThat(peek.visibilityTimeout()).as("nothing is hidden").isZero();
        assertThat(peek.maxNumberOfMessages()).isEqualTo(10);
        assertThat(recorder.requests)
                .as("nothing deleted or released")
                .allSatisfy(r -> assertThat(r.getClass().getSimpleName())
                        .isIn("GetQueueAttributesRequest", "ReceiveMessageRequest"));
        assertThat(visible(queue.deadLetterUrl())).as("both visible at once").isEqualTo(2);
    }

    @Test
    void aDeadLetterQueueWaitedOnShowsAtLeastTheWait() {
        Sent sent = deadLetter();
        Instant waitedUntil = sent.after().plusSeconds(2);
        // ElasticMQ stamps SentTimestamp with the real clock, so real time must pass: the condition is the
        // clock's value, whatever the machine's load, not a guess at how long a sleep takes.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !Instant.now().isBefore(waitedUntil));

        Depth dead = stats(List.of(), Instant.now()).deadLetter();

        assertThat(dead.oldestAgeSeconds()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void emptyQueuesAreZeroAndCostNoReceive() {
        QueueStats stats = stats(List.of(), Instant.now());

        assertThat(stats.queue().oldestAgeSeconds()).isZero();
        assertThat(stats.queue().oldestAgeFrom()).isEqualTo(AgeFrom.EMPTY);
        assertThat(stats.deadLetter().oldestAgeSeconds()).isZero();
        assertThat(stats.deadLetter().oldestAgeFrom()).isEqualTo(AgeFrom.EMPTY);
        assertThat(receives()).isEmpty();
    }

    @Test
    void aDeadLetterQueueWhoseMessagesAreAllHeldIsNotPeekedAndItsAgeIsUnknown() {
        deadLetter();
        sqs.receiveMessage(
                b -> b.queueUrl(queue.deadLetterUrl()).maxNumberOfMessages(10).visibilityTimeout(60));
        recorder.requests.clear();

        Depth dead = stats(List.of(), Instant.now()).deadLetter();

        assertThat(dead.inFlight()).isEqualTo(1);
        assertThat(dead.oldestAgeSeconds()).isNull();
        assertThat(dead.oldestAgeFrom()).isEqualTo(AgeFrom.NOT_SAMPLED);
        assertThat(receives()).isEmpty();
    }

    @Test
    void aWorkQueuesAgeIsTheOldestItsLiveInstancesReportedAndItIsNeverReceivedFrom() {
        sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("waiting"));
        Instant now = Instant.now();
        List<QueueAge> reports = List.of(
                report("a", queue.name(), now.minusSeconds(40)),
                report("b", queue.name(), now.minusSeconds(300)),
                report("c", queue.name(), null),
                report("a", "some-other-queue", now.minusSeconds(9000)));

        Depth work = stats(reports, now).queue();

        assertThat(work.oldestAgeSeconds()).isEqualTo(300);
        assertThat(work.oldestAgeFrom()).isEqualTo(AgeFrom.PIPELINE);
        assertThat(receives()).as("a work queue is never peeked").isEmpty();
    }

    @Test
    void aWorkQueuesAgeIsUnknownWithoutReportsAndSaysWhy() {
        sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("waiting"));
        Instant now = Instant.now();

        assertThat(stats(List.of(report("a", "some-other-queue", now)), now).queue())
                .extracting(Depth::oldestAgeSeconds, Depth::oldestAgeFrom)
                .containsExactly(null, AgeFrom.NO_PIPELINE_REPORTING);
        assertThat(stats(List.of(report("a", queue.name(), null)), now).queue())
                .extracting(Depth::oldestAgeSeconds, Depth::oldestAgeFrom)
                .containsExactly(null, AgeFrom.NOT_RECEIVED);
        assertThat(stats(null, now).queue())
                .extracting(Depth::oldestAgeSeconds, Depth::oldestAgeFrom)
                .containsExactly(null, AgeFrom.STORE_UNREADABLE);
        assertThat(AgeFrom.NO_PIPELINE_REPORTING.unknownBecause()).startsWith("no pipeline reporting");
        assertThat(AgeFrom.NO_PIPELINE_REPORTING.label()).isEqualTo("no-pipeline-reporting");
    }

    @Test
    void anEmptyWorkQueueIsZeroWhateverTheReportsSay() {
        Instant now = Instant.now();

        Depth work = stats(List.of(report("a", queue.name(), now.minusSeconds(600))), now)
                .queue();

        assertThat(work.oldestAgeSeconds()).isZero();
        assertThat(work.oldestAgeFrom()).isEqualTo(AgeFrom.EMPTY);
    }

    @Test
    void aReportAheadOfThisClockIsAgeZeroNotNegative() {
        sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody("waiting"));
        Instant now = Instant.now();

        assertThat(stats(List.of(report("a", queue.name(), now.plusSeconds(3))), now)
                        .queue()
                        .oldestAgeSeconds())
                .isZero();
    }

    @Test
    void deadLettersWaitingSumsTheDeadLetterQueuesWithoutReceiving() {
        deadLetter();
        deadLetter();

        assertThat(QueueStats.deadLettersWaiting(sqs, List.of(queue))).isEqualTo(2);
        assertThat(receives()).isEmpty();
    }

    private long visible(String url) {
        return Long.parseLong(sqs.getQueueAttributes(
                        b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
