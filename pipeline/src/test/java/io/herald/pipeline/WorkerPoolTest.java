package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Envelope;
import io.herald.pipeline.provider.ConfiguredProvider;
import io.herald.pipeline.provider.ManualClock;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split rule and the health state machine, without SQS: each case is exact. */
class WorkerPoolTest {

    private static final Outcome DELIVERED = new Outcome.Delivered("ok");
    private static final Outcome FAILED = new Outcome.Retry(Duration.ZERO, "HTTP 500");

    private final HeraldConfig.PipelineSettings config =
            HeraldConfig.defaults().pipeline().withHealth(3, 2, Duration.ofMillis(100));

    private static Provider named(String name) {
        return new Provider() {
            public String name() {
                return name;
            }

            public String channel() {
                return "email";
            }

            public Outcome send(Envelope envelope) {
                throw new UnsupportedOperationException("the pool never sends");
            }
        };
    }

    /** Moved past the breaker's rest (openWait, 100 ms) by hand: the tests never sleep. */
    private final ManualClock clock = ManualClock.atNow();

    private Worker worker(String name, int weight) {
        return new Worker(new ConfiguredProvider(named(name), weight), config, clock);
    }

    private void restIsOver() {
        clock.advance(Duration.ofMillis(101));
    }

    /** Takes {@code n} picks, recording each outcome on the picked worker, and counts picks per worker. */
    private static Map<String, Integer> pick(WorkerPool pool, int n, Map<String, Outcome> outcomes) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            WorkerPool.Pick pick = pool.take();
            counts.merge(pick.worker().name(), 1, Integer::sum);
            pick.worker()
                    .record(outcomes.getOrDefault(pick.worker().name(), DELIVERED), Duration.ofMillis(1), pick.kind());
            pool.release(pick.worker());
        }
        return counts;
    }

    private static void fail(Worker worker, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(worker.tryCount()).isTrue();
            worker.record(FAILED, Duration.ofMillis(1), Worker.SendKind.COUNTED);
        }
    }

    @Test
    void healthyWorkersShareMessagesExactlyByWeight() throws Exception {
        WorkerPool pool = new WorkerPool("email", List.of(worker("ses", 3), worker("sendgrid", 1)));

        Map<String, Integer> counts = pick(pool, 400, Map.of());

        assertThat(counts).containsEntry("ses", 300).containsEntry("sendgrid", 100);
    }

    @Test
    void unhealthyThresholdConsecutiveFailuresMakeAWorkerUnhealthy() {
        Worker ses = worker("ses", 1);
        fail(ses, 2);
        assertThat(ses.isHealthy()).isTrue();

        fail(ses, 1);

        assertThat(ses.isHealthy()).isFalse();
    }

    @Test
    void aSuccessBetweenFailuresKeepsTheWorkerHealthy() {
        Worker ses = worker("ses", 1);
        fail(ses, 2);
        ses.tryCount();
        ses.record(DELIVERED, Duration.ofMillis(1), Worker.SendKind.COUNTED);
        fail(ses, 2);

        assertThat(ses.isHealthy()).isTrue();
    }

    @Test
    void aRejectedMessageDoesNotCountAgainstItsProvider() {
        Worker ses = worker("ses", 1);
        for (int i = 0; i < 10; i++) {
            ses.tryCount();
            ses.record(new Outcome.Rejected("mailbox does not exist"), Duration.ofMillis(1), Worker.SendKind.COUNTED);
        }

        assertThat(ses.isHealthy()).isTrue();
    }

    @Test
    void anUnhealthyWorkerGetsNoTrafficAndExactlyOneProbeOnceItsRestIsOver() throws Exception {
        Worker ses = worker("ses", 1);
        Worker sendgrid = worker("sendgrid", 1);
        WorkerPool pool = new WorkerPool("email", List.of(ses, sendgrid));
        fail(ses, 3);

        assertThat(pick(pool, 50, Map.of())).containsOnlyKeys("sendgrid");
        assertThat(pool.probesFor(10)).as("resting: no probe yet").isEmpty();
        clock.advance(Duration.ofMillis(99));
        assertThat(pool.probesFor(10))
                .as("still resting just before openWait is over")
                .isEmpty();
        clock.advance(Duration.ofMillis(2));

        List<Worker> probes = pool.probesFor(10);
        assertThat(probes).containsExactly(ses);
        assertThat(pool.probesFor(10)).as("one probe out at a time").isEmpty();
        assertThat(pick(pool, 20, Map.of())).containsOnlyKeys("sendgrid");
    }

    @Test
    void healthyThresholdGoodProbesInARowHealAWorker() throws Exception {
        Worker ses = worker("ses", 1);
        WorkerPool pool = new WorkerPool("email", List.of(ses, worker("sendgrid", 1)));
        fail(ses, 3);
        restIsOver();

        probe(pool, ses, DELIVERED);
        assertThat(ses.isHealthy()).as("one good probe of two").isFalse();
        probe(pool, ses, DELIVERED);

        assertThat(ses.isHealthy()).isTrue();
    }

    @Test
    void aFailedProbeSendsTheWorkerBackToRestAtOnce() throws Exception {
        Worker ses = worker("ses", 1);
        WorkerPool pool = new WorkerPool("email", List.of(ses, worker("sendgrid", 1)));
        fail(ses, 3);
        restIsOver();

        probe(pool, ses, DELIVERED);
        probe(pool, ses, FAILED);

        assertThat(ses.stateName()).isEqualTo("unhealthy");
        assertThat(pool.probesFor(1)).as("resting again").isEmpty();
    }

    @Test
    void aWorkerThatRecoveredCanBecomeUnhealthyAgain() throws Exception {
        Worker ses = worker("ses", 1);
        WorkerPool pool = new WorkerPool("email", List.of(ses, worker("sendgrid", 1)));
        fail(ses, 3);
        restIsOver();
        probe(pool, ses, DELIVERED);
        probe(pool, ses, DELIVERED);
        assertThat(ses.isHealthy()).isTrue();

        // Counters start afresh on every state change: gomail's never did, so a recovered worker
        // could never be marked unhealthy again.
        fail(ses, 3);

        assertThat(ses.isHealthy()).isFalse();
    }

    @Test
    void whenEveryWorkerIsDownMessagesAreSpreadEvenlyIgnoringWeights() throws Exception {
        Worker ses = worker("ses", 5);
        Worker sendgrid = worker("sendgrid", 1);
        WorkerPool pool = new WorkerPool("email", List.of(ses, sendgrid));
        fail(ses, 3);
        fail(sendgrid, 3);

        Map<String, Integer> counts = pick(pool, 100, Map.of("ses", FAILED, "sendgrid", FAILED));

        assertThat(counts).containsEntry("ses", 50).containsEntry("sendgrid", 50);
        assertThat(ses.isHealthy()).isFalse();
        assertThat(sendgrid.isHealthy()).isFalse();
    }

    @Test
    void aWorkerWithNoFreeSlotIsPassedOverInsteadOfWaitedFor() throws Exception {
        HeraldConfig.PipelineSettings oneSlot = config.withLimits(10, 1000, 1);
        Worker slow = new Worker(new ConfiguredProvider(named("slow"), 1), oneSlot, clock);
        Worker fast = new Worker(new ConfiguredProvider(named("fast"), 1), oneSlot, clock);
        WorkerPool pool = new WorkerPool("email", List.of(slow, fast));
        WorkerPool.Pick held = pool.take();
        assertThat(held.worker()).isSameAs(slow);

        Map<String, Integer> counts = pick(pool, 10, Map.of());

        assertThat(counts).containsOnly(Map.entry("fast", 10));
        pool.release(slow);
    }

    private static void probe(WorkerPool pool, Worker expected, Outcome outcome) {
        List<Worker> probes = pool.probesFor(1);
        assertThat(probes).containsExactly(expected);
        expected.record(outcome, Duration.ofMillis(1), Worker.SendKind.PROBE);
        pool.release(expected);
    }
}
