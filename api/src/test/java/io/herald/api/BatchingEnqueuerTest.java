package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Concurrent requests share SendMessageBatch calls; a lone request never waits for company. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchingEnqueuerTest {

    private ApiTestbed bed;
    private final List<Integer> sent = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    @BeforeEach
    void clear() {
        sent.clear();
    }

    private BatchingEnqueuer enqueuer(List<QueueRef> queues, Duration maxWait) {
        return new BatchingEnqueuer(
                new SqsProducer(bed.sqsClient, bed.codec), queues, maxWait, 4, batch -> {}, sent::add);
    }

    private static Envelope envelope(int i) {
        return Envelope.create(
                "telegram", Integer.toString(i), Content.of("t", "text " + i), Origin.api("test"), Instant.now());
    }

    @Test
    void aLoneRequestIsSentAtOnceEvenWithALongMaximumWait() {
        // A maximum wait of an hour: a batcher that waited for it would meet the bound below (which only
        // stops a hang), whatever the machine's load; one that sends a lone request at once never does.
        BatchingEnqueuer enqueuer = enqueuer(bed.freshQueues(1), Duration.ofHours(1));

        List<EnqueueResult> results = assertTimeoutPreemptively(
                Duration.ofMinutes(2), () -> enqueuer.enqueue(enqueuer.expect(), List.of(envelope(1))));

        assertThat(results).singleElement().isInstanceOf(EnqueueResult.Enqueued.class);
        assertThat(sent).containsExactly(1);
    }

    @Test
    void concurrentRequestsShareCallsOfAtMostTenEntries() throws Exception {
        List<QueueRef> queues = bed.freshQueues(1);
        BatchingEnqueuer enqueuer = enqueuer(queues, Duration.ofMillis(100));
        int requests = 40;
        CountDownLatch allAnnounced = new CountDownLatch(requests);
        List<Future<List<EnqueueResult>>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    try (BatchingEnqueuer.Arrival arrival = enqueuer.expect()) {
                        allAnnounced.countDown();
                        allAnnounced.await();
                        return enqueuer.enqueue(arrival, List.of(envelope(n)));
                    }
                }));
            }
            for (Future<List<EnqueueResult>> answer : answers) {
                assertThat(answer.get()).singleElement().isInstanceOf(EnqueueResult.Enqueued.class);
            }
        }

        assertThat(sent.stream().mapToInt(Integer::intValue).sum()).isEqualTo(requests);
        assertThat(sent).allMatch(size -> size <= SqsProducer.MAX_BATCH_ENTRIES);
        assertThat(sent.size()).as("calls for %d requests: %s", requests, sent).isLessThanOrEqualTo(requests / 4);
        assertThat(bed.drain(queues.getFirst(), requests)).hasSize(requests);
    }

    @Test
    void oneRequestWithManyEnvelopesFillsSeveralBatches() throws Exception {
        BatchingEnqueuer enqueuer = enqueuer(bed.freshQueues(1), Duration.ofMillis(5));
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            envelopes.add(envelope(i));
        }

        List<EnqueueResult> results = enqueuer.enqueue(enqueuer.expect(), envelopes);

        assertThat(results).hasSize(25).allMatch(r -> r instanceof EnqueueResult.Enqueued);
        assertThat(results)
                .extracting(EnqueueResult::envelopeId)
                .containsExactlyElementsOf(envelopes.stream().map(Envelope::id).toList());
        // One status write of 25, then three SQS calls side by side: they may finish in any order.
        assertThat(sent).containsExactlyInAnyOrder(10, 10, 5);
    }

    @Test
    void nothingReachesSqsBeforeItsQueuedStatusIsWritten() throws Exception {
        List<QueueRef> queues = bed.freshQueues(1);
        CountDownLatch gate = new CountDownLatch(1);
        List<Integer> written = new CopyOnWriteArrayList<>();
        BatchingEnqueuer enqueuer = new BatchingEnqueuer(
                new SqsProducer(bed.sqsClient, bed.codec),
                queues,
                Duration.ofMillis(5),
                4,
                batch -> {
                    written.add(batch.size());
                    awaitQuietly(gate);
                },
                sent::add);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<EnqueueResult>> answer =
                    pool.submit(() -> enqueuer.enqueue(enqueuer.expect(), List.of(envelope(1))));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 1);

            assertThat(messagesOn(queues.getFirst()))
                    .as("on SQS while its status write is out")
                    .isZero();
            assertThat(sent).isEmpty();

            gate.countDown();
            assertThat(answer.get()).singleElement().isInstanceOf(EnqueueResult.Enqueued.class);
        }
        assertThat(bed.drain(queues.getFirst(), 1)).hasSize(1);
    }

    @Test
    void requestsArrivingWhileStatusWritesAreOutShareOneWriteOfUpToTwentyFive() throws Exception {
        List<QueueRef> queues = bed.freshQueues(1);
        CountDownLatch gate = new CountDownLatch(1);
        List<Integer> written = new CopyOnWriteArrayList<>();
        BatchingEnqueuer enqueuer = new BatchingEnqueuer(
                new SqsProducer(bed.sqsClient, bed.codec),
                queues,
                Duration.ofMillis(5),
                4,
                batch -> {
                    written.add(batch.size());
                    awaitQuietly(gate);
                },
                sent::add);
        int later = 30;
        List<Future<List<EnqueueResult>>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Lone requests take every status call slot and hold them until the gate opens.
            for (int i = 0; i < BatchingEnqueuer.STATUS_CALLS_IN_FLIGHT; i++) {
                int n = i;
                answers.add(pool.submit(() -> enqueuer.enqueue(enqueuer.expect(), List.of(envelope(n)))));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == n + 1);
            }
            for (int i = 0; i < later; i++) {
                int n = 100 + i;
                answers.add(pool.submit(() -> enqueuer.enqueue(enqueuer.expect(), List.of(envelope(n)))));
            }
            // 25 fill one batch, which waits sealed for a slot; the other 5 wait in the next one.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> enqueuer.waitingForStatusWrite() == later - BatchingEnqueuer.MAX_STATUS_ENTRIES);
            gate.countDown();
            for (Future<List<EnqueueResult>> answer : answers) {
                assertThat(answer.get()).singleElement().isInstanceOf(EnqueueResult.Enqueued.class);
            }
        }

        int lone = BatchingEnqueuer.STATUS_CALLS_IN_FLIGHT;
        List<Integer> expected = new ArrayList<>(Collections.nCopies(lone, 1));
        expected.addAll(List.of(BatchingEnqueuer.MAX_STATUS_ENTRIES, later - BatchingEnqueuer.MAX_STATUS_ENTRIES));
        assertThat(written).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(sent.stream().mapToInt(Integer::intValue).sum()).isEqualTo(later + lone);
        assertThat(sent).allMatch(size -> size <= SqsProducer.MAX_BATCH_ENTRIES);
        assertThat(bed.drain(queues.getFirst(), later + lone)).hasSize(later + lone);
    }

    /** Holds a status write until the test opens the gate; the bound only stops a hang if it never does. */
    private static void awaitQuietly(CountDownLatch gate) {
        try {
            gate.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int messagesOn(QueueRef queue) {
        var attributes = bed.sqsClient
                .getQueueAttributes(b -> b.queueUrl(queue.url())
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    @Test
    void batchesGoToTheQueuesInTurn() throws Exception {
        List<QueueRef> queues = bed.freshQueues(2);
        BatchingEnqueuer enqueuer = enqueuer(queues, Duration.ofMillis(5));

        for (int i = 0; i < 4; i++) {
            enqueuer.enqueue(enqueuer.expect(), List.of(envelope(i)));
        }

        assertThat(bed.drain(queues.get(0), 2)).hasSize(2);
        assertThat(bed.drain(queues.get(1), 2)).hasSize(2);
    }

    @Test
    void concurrentHttpRequestsUseFewerSqsCallsThanRequests() throws Exception {
        HeraldApi api = bed.start(ApiTestbed.api("batchWait: 20ms"), bed.freshQueues(1), b -> b);
        int perRound = 32;
        // The first round opens the client's connections, one at a time; only later rounds overlap for sure.
        sendConcurrently(api, perRound);
        int before = bed.batchCalls.size();
        for (int round = 0; round < 3; round++) {
            sendConcurrently(api, perRound);
        }

        List<Integer> calls = List.copyOf(bed.batchCalls.subList(before, bed.batchCalls.size()));
        assertThat(calls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3 * perRound);
        assertThat(calls).allMatch(size -> size <= SqsProducer.MAX_BATCH_ENTRIES);
        assertThat(calls.size())
                .as("SendMessageBatch calls for 3 rounds of %d concurrent requests: %s", perRound, calls)
                .isLessThan(3 * perRound);
    }

    private void sendConcurrently(HeraldApi api, int requests) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                statuses.add(pool.submit(() -> {
                    go.await();
                    return bed.post(api, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"x\"}")
                            .status();
                }));
            }
            go.countDown();
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(202);
            }
        }
    }
}
