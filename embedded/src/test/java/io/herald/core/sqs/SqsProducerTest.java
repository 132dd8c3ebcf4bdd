package io.herald.core.sqs;

import static io.herald.core.sqs.SqsTesting.sqsConfig;
import static io.herald.core.sqs.SqsTesting.uniqueQueueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.TestEnvelopes;
import io.herald.core.sqs.EnqueueResult.Enqueued;
import io.herald.core.sqs.EnqueueResult.NotEnqueued;
import io.herald.embedded.EmbeddedSqs;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class SqsProducerTest {

    private static final int LIMIT = EnvelopeCodec.SQS_MAX_MESSAGE_BYTES;

    private static EmbeddedSqs embedded;
    private static SqsClient plain;

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private SqsTesting.RequestRecorder recorder;
    private SqsClient sqs;
    private SqsProducer producer;
    private String queueUrl;

    @BeforeAll
    static void startSqs() {
        embedded = EmbeddedSqs.start(0);
        plain = SqsClients.create(sqsConfig(embedded.endpoint(), List.of("unused")));
    }

    @AfterAll
    static void stopSqs() {
        plain.close();
        embedded.close();
    }

    @BeforeEach
    void newQueue() {
        recorder = new SqsTesting.RequestRecorder();
        sqs = SqsTesting.recordingClient(embedded.endpoint(), recorder);
        producer = new SqsProducer(sqs, codec);
        queueUrl = SqsQueues.provision(plain, sqsConfig(embedded.endpoint(), List.of(uniqueQueueName("producer"))))
                .getFirst()
                .url();
    }

    @AfterEach
    void closeClient() {
        sqs.close();
    }

    @Test
    void twentyFiveEnvelopesGoInThreeBatchCallsOfTenTenAndFive() {
        List<Envelope> envelopes = envelopes(25);

        List<EnqueueResult> results = producer.send(queueUrl, envelopes);

        assertThat(results).hasSize(25).allSatisfy(r -> assertThat(r).isInstanceOf(Enqueued.class));
        assertThat(recorder.entriesPerCall()).containsExactly(10, 10, 5);
        assertThat(recorder.attempts.get()).isEqualTo(3);
    }

    @Test
    void resultsComeInTheOrderEnvelopesWereGiven() {
        List<Envelope> envelopes = envelopes(25);

        List<EnqueueResult> results = producer.send(queueUrl, envelopes);

        assertThat(results).extracting(EnqueueResult::envelopeId).containsExactlyElementsOf(ids(envelopes));
        assertThat(results)
                .extracting(r -> ((Enqueued) r).sqsMessageId())
                .doesNotHaveDuplicates()
                .doesNotContainNull();
    }

    @Test
    void allTwentyFiveArriveAndDecodeToTheEnvelopesSent() {
        List<Envelope> envelopes = envelopes(25);

        List<EnqueueResult> results = producer.send(queueUrl, envelopes);
        List<Message> received = SqsTesting.drain(plain, queueUrl, 25);

        assertThat(received).hasSize(25);
        assertThat(received).extracting(m -> codec.decode(m.body())).containsExactlyInAnyOrderElementsOf(envelopes);
        assertThat(received)
                .extracting(Message::messageId)
                .containsExactlyInAnyOrderElementsOf(
                        results.stream().map(r -> ((Enqueued) r).sqsMessageId()).toList());
    }

    @Test
    void fullyPopulatedEnvelopeArrivesIntact() {
        Envelope envelope = TestEnvelopes.fullyPopulated();

        EnqueueResult result = producer.send(queueUrl, envelope);

        assertThat(result).isInstanceOf(Enqueued.class);
        assertThat(SqsTesting.drain(plain, queueUrl, 1))
                .singleElement()
                .satisfies(m -> assertThat(codec.decode(m.body())).isEqualTo(envelope));
    }

    @Test
    void emptyListSendsNothing() {
        assertThat(producer.send(queueUrl, List.of())).isEmpty();
        assertThat(recorder.batches).isEmpty();
    }

    @Test
    void oversizeEnvelopeInTheMiddleIsRefusedAndTheOthersAreEnqueuedInOrder() {
        List<Envelope> envelopes = new ArrayList<>(envelopes(5));
        Envelope tooBig = TestEnvelopes.ofEncodedSize(codec, LIMIT + 1);
        envelopes.set(2, tooBig);

        List<EnqueueResult> results = producer.send(queueUrl, envelopes);

        assertThat(results).extracting(EnqueueResult::envelopeId).containsExactlyElementsOf(ids(envelopes));
        assertThat(results.get(2)).isInstanceOfSatisfying(NotEnqueued.class, r -> {
            assertThat(r.code()).isEqualTo(EnqueueResult.MESSAGE_TOO_LARGE);
            assertThat(r.retryable()).isFalse();
            assertThat(r.reason()).contains("1,048,577").contains("1,048,576");
        });
        assertThat(List.of(results.get(0), results.get(1), results.get(3), results.get(4)))
                .allSatisfy(r -> assertThat(r).isInstanceOf(Enqueued.class));
        assertThat(recorder.entriesPerCall()).containsExactly(4);
        assertThat(SqsTesting.drain(plain, queueUrl, 4)).hasSize(4);
    }

    @Test
    void batchesAreSplitSoNoCallCarriesMoreThanOneMebibyte() {
        // Three envelopes of 400,000 bytes: two fit in one call (800,000), the third would exceed 1 MiB.
        List<Envelope> envelopes = List.of(
                TestEnvelopes.ofEncodedSize(codec, 400_000),
                TestEnvelopes.ofEncodedSize(codec, 400_000),
                TestEnvelopes.ofEncodedSize(codec, 400_000));

        List<EnqueueResult> results = producer.send(queueUrl, envelopes);

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(Enqueued.class));
        assertThat(recorder.entriesPerCall()).containsExactly(2, 1);
        assertThat(recorder.bytesPerCall()).containsExactly(800_000, 400_000);
        assertThat(SqsTesting.drain(plain, queueUrl, 3)).hasSize(3);
    }

    @Test
    void batchOfExactlyOneMebibyteIsOneCall() {
        List<Envelope> envelopes = List.of(
                TestEnvelopes.ofEncodedSize(codec, LIMIT / 2),
                TestEnvelopes.ofEncodedSize(codec, LIMIT / 2),
                TestEnvelopes.withText("small"));

        List<EnqueueResult> results = producer.send(queueUrl, envelopes);

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(Enqueued.class));
        assertThat(recorder.bytesPerCall().getFirst()).isEqualTo(LIMIT);
        assertThat(recorder.entriesPerCall()).containsExactly(2, 1);
    }

    @Test
    void envelopeOfExactlyOneMebibyteIsAcceptedByEmbeddedSqsAndArrivesWhole() {
        Envelope atLimit = TestEnvelopes.ofEncodedSize(codec, LIMIT);

        EnqueueResult result = producer.send(queueUrl, atLimit);

        assertThat(result).isInstanceOf(Enqueued.class);
        Message message = SqsTesting.drain(plain, queueUrl, 1).getFirst();
        assertThat(EnvelopeCodec.utf8(message.body())).hasSize(LIMIT);
        assertThat(codec.decode(message.body())).isEqualTo(atLimit);
    }

    @Test
    void multiByteEnvelopeOfOneMebibyteArrivesWhole() {
        Envelope probe = TestEnvelopes.withText("x");
        int room = LIMIT - (EnvelopeCodec.utf8(codec.encode(probe)).length - 1);
        Envelope envelope = TestEnvelopes.withText("€".repeat(room / 3) + "x".repeat(room % 3));

        assertThat(producer.send(queueUrl, envelope)).isInstanceOf(Enqueued.class);
        assertThat(codec.decode(SqsTesting.drain(plain, queueUrl, 1).getFirst().body()))
                .isEqualTo(envelope);
    }

    @Test
    void entryRefusedBySqsIsReportedAloneWhileTheRestOfItsBatchIsEnqueued() throws Exception {
        // ElasticMQ accepts every entry Herald can produce, so this one test uses a fake that
        // speaks SQS's JSON protocol and refuses the second entry of each batch, as SQS does
        // with a per-entry error (here InternalError, which SQS marks as not the sender's fault).
        List<Envelope> envelopes = List.of(
                TestEnvelopes.withText("fine"),
                TestEnvelopes.withText("private words"),
                TestEnvelopes.withText("also fine"));

        List<EnqueueResult> results;
        try (SqsBatchFake fake = SqsBatchFake.refusingEntry("1", "InternalError", false);
                SqsClient client = SqsClients.create(sqsConfig(fake.endpoint(), List.of("q")))) {
            results = new SqsProducer(client, codec).send(fake.endpoint() + "/000000000000/q", envelopes);
            assertThat(fake.entriesPerCall()).containsExactly(3);
        }

        assertThat(results).extracting(EnqueueResult::envelopeId).containsExactlyElementsOf(ids(envelopes));
        assertThat(results.get(0)).isInstanceOf(Enqueued.class);
        assertThat(results.get(2)).isInstanceOf(Enqueued.class);
        assertThat(results.get(1)).isInstanceOfSatisfying(NotEnqueued.class, n -> {
            assertThat(n.code()).isEqualTo("InternalError");
            assertThat(n.retryable())
                    .as("not the sender's fault: worth retrying")
                    .isTrue();
            assertThat(n.reason()).doesNotContain("private words").contains("InternalError");
        });
    }

    @Test
    void entryRefusedAsTheSendersFaultIsNotRetryable() throws Exception {
        List<EnqueueResult> results;
        try (SqsBatchFake fake = SqsBatchFake.refusingEntry("0", "InvalidMessageContents", true);
                SqsClient client = SqsClients.create(sqsConfig(fake.endpoint(), List.of("q")))) {
            results = new SqsProducer(client, codec)
                    .send(fake.endpoint() + "/000000000000/q", List.of(TestEnvelopes.withText("secret text")));
        }

        assertThat(results.getFirst()).isInstanceOfSatisfying(NotEnqueued.class, n -> {
            assertThat(n.retryable()).isFalse();
            assertThat(n.reason()).doesNotContain("secret text");
        });
    }

    @Test
    void charactersSqsRefusesTravelEscapedAndArriveIntact() {
        String text = "nonchar \uFFFE \uFFFF, lone \uD800 and \uDC00, pair 🚀, control \u0001, café";
        Envelope envelope = TestEnvelopes.withText(text);

        assertThat(producer.send(queueUrl, envelope)).isInstanceOf(Enqueued.class);

        Message received = SqsTesting.drain(plain, queueUrl, 1).getFirst();
        assertThat(codec.decode(received.body()).content().text()).isEqualTo(text);
    }

    @Test
    void aReasonNeverQuotesTheBodyEvenWhenSqsEchoesTheRequest() throws Exception {
        List<EnqueueResult> results;
        try (SqsBatchFake fake = SqsBatchFake.failingWholeRequestEchoingIt();
                SqsClient client = SqsClients.create(sqsConfig(fake.endpoint(), List.of("q")))) {
            results = new SqsProducer(client, codec)
                    .send(fake.endpoint() + "/000000000000/q", List.of(TestEnvelopes.withText("top secret body")));
        }

        assertThat(results.getFirst()).isInstanceOfSatisfying(NotEnqueued.class, n -> {
            assertThat(n.reason())
                    .doesNotContain("top secret body")
                    .contains("HTTP 400")
                    .contains("InvalidAction");
            assertThat(n.retryable()).isFalse();
        });
    }

    @Test
    void unreachableSqsGivesEveryEnvelopeARetryableResultAndThrowsNothing() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + SqsTesting.closedPort());
        List<Envelope> envelopes = envelopes(12);
        List<EnqueueResult> results = new ArrayList<>();

        try (SqsClient unreachable = SqsClients.create(sqsConfig(closed, List.of("q")))) {
            SqsProducer toNowhere = new SqsProducer(unreachable, codec);
            assertThatCode(() -> results.addAll(toNowhere.send(closed + "/000000000000/q", envelopes)))
                    .doesNotThrowAnyException();
        }

        assertThat(results).extracting(EnqueueResult::envelopeId).containsExactlyElementsOf(ids(envelopes));
        assertThat(results)
                .allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(NotEnqueued.class, n -> {
                    assertThat(n.code()).isEqualTo(EnqueueResult.SQS_UNREACHABLE);
                    assertThat(n.retryable()).isTrue();
                    assertThat(n.reason()).isNotBlank();
                }));
    }

    @Test
    void nonExistentQueueGivesEveryEnvelopeANonRetryableResult() {
        String missing = embedded.endpoint() + "/000000000000/" + uniqueQueueName("never-created");
        List<Envelope> envelopes = envelopes(3);

        List<EnqueueResult> results = producer.send(missing, envelopes);

        assertThat(results).extracting(EnqueueResult::envelopeId).containsExactlyElementsOf(ids(envelopes));
        assertThat(results)
                .allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(NotEnqueued.class, n -> {
                    assertThat(n.retryable()).isFalse();
                    // The JSON protocol's code; the older query protocol said AWS.SimpleQueueService.NonExistentQueue.
                    assertThat(n.code()).isIn("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue");
                    assertThat(n.reason()).contains("HTTP 400").contains(n.code());
                }));
    }

    @Test
    void singleSendReturnsOneResult() {
        Envelope envelope = TestEnvelopes.withText("one");

        EnqueueResult result = producer.send(queueUrl, envelope);

        assertThat(result)
                .isInstanceOfSatisfying(
                        Enqueued.class, e -> assertThat(e.envelopeId()).isEqualTo(envelope.id()));
        assertThat(recorder.entriesPerCall()).containsExactly(1);
    }

    private static List<Envelope> envelopes(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> TestEnvelopes.withText("message " + i))
                .toList();
    }

    private static List<String> ids(List<Envelope> envelopes) {
        return envelopes.stream().map(Envelope::id).toList();
    }
}
