package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pipeline drill's arithmetic and what it reads from outside (/proc, the proxy's action names, its own options, the
 * configuration it gives the packaged pipeline). The drill itself is a benchmark, run by ./herald bench, never by the
 * tests.
 */
class DrainFiguresTest {

    private static DrainRun run(String label, String kind, int repeat, double seconds) {
        return new DrainRun(
                label,
                kind,
                repeat,
                1000,
                seconds,
                2.0,
                Map.of("ReceiveMessage", 100L, "DeleteMessageBatch", 100L),
                Map.of("UpdateItem", 2000L),
                1.5,
                0,
                0);
    }

    private static final List<DrainRun> RUNS = List.of(
            run("floor 8 threads", "floor", 1, 1.0),
            run("floor 16 threads", "floor", 1, 0.5),
            run("herald 0 ms warm", "herald", 1, 2.0),
            run("floor 8 threads", "floor", 2, 0.8),
            run("floor 16 threads", "floor", 2, 1.0),
            run("herald 0 ms warm", "herald", 2, 1.6),
            run("floor 8 threads", "floor", 3, 0.4),
            run("floor 16 threads", "floor", 3, 0.5),
            run("herald 0 ms warm", "herald", 3, 4.0));

    @Test
    void theFloorOfARepetitionIsItsFastestThreadCount() {
        assertThat(DrainFigures.bestFloor(RUNS, 1).orElseThrow().label()).isEqualTo("floor 16 threads");
        assertThat(DrainFigures.bestFloor(RUNS, 2).orElseThrow().label()).isEqualTo("floor 8 threads");
        assertThat(DrainFigures.bestFloor(RUNS, 4)).isEmpty();
    }

    @Test
    void aRunIsSetAgainstTheFloorOfItsOwnRepetition() {
        // repetition 1: floor 2,000 msg/s, Herald 500 msg/s
        assertThat(DrainFigures.ratioToFloor(RUNS, RUNS.get(2))).isEqualTo(0.25);
        // repetition 2: floor 1,250 msg/s, Herald 625 msg/s
        assertThat(DrainFigures.ratioToFloor(RUNS, RUNS.get(5))).isEqualTo(0.5);
    }

    @Test
    void mediansAreOverRepetitionsAndEveryRunIsKept() {
        Map<String, Map<String, Object>> medians = DrainFigures.medians(RUNS);

        assertThat(medians).containsOnlyKeys("floor (best of threads)", "herald 0 ms warm");
        Map<String, Object> herald = medians.get("herald 0 ms warm");
        assertThat(herald.get("messagesPerSecondEachRun")).isEqualTo(List.of(500.0, 625.0, 250.0));
        assertThat(herald.get("messagesPerSecond")).isEqualTo(500.0);
        // ratios 0.25, 0.5, 0.1 (repetition 3: floor 2,500 msg/s)
        assertThat(herald.get("ratioToFloor")).isEqualTo(0.25);
        assertThat(herald.get("messagesPerCpuSecond")).isEqualTo(500.0);
        assertThat(herald.get("sqsRequestsPerMessage")).isEqualTo(0.2);
        assertThat(herald.get("statusRequestsPerMessage")).isEqualTo(2.0);
        assertThat(herald.get("storeCpuMillisPerMessage")).isEqualTo(1.5);
        assertThat(medians.get("floor (best of threads)").get("messagesPerSecondEachRun"))
                .isEqualTo(List.of(2000.0, 1250.0, 2500.0));
    }

    @Test
    void aRunsRequestsAreTheCountersDifference() {
        Map<String, Long> delta = DrainRun.delta(
                Map.of("ReceiveMessage", 10L, "SendMessageBatch", 7L),
                Map.of("ReceiveMessage", 25L, "SendMessageBatch", 7L, "DeleteMessageBatch", 3L));

        assertThat(delta).containsExactlyInAnyOrderEntriesOf(Map.of("ReceiveMessage", 15L, "DeleteMessageBatch", 3L));
        assertThat(DrainFigures.byActionCell(DrainRun.perMessage(delta, 100)))
                .isEqualTo("ReceiveMessage 0.150, DeleteMessageBatch 0.030");
    }

    @Test
    void aMedianWithAnUnmeasuredValueIsNotANumber() {
        assertThat(DrainFigures.median(List.of(1.0, Double.NaN))).isNaN();
        assertThat(DrainFigures.median(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(2.5);
    }

    @Test
    void procStatGivesUserPlusSystemTimeEvenWithParenthesesInTheName() {
        String stat = "4242 (java (pipe) x) S 1 4242 4242 0 -1 4194560 51234 0 12 0 1234 566 0 0 20 0 61 0 "
                + "123456 5000000000 120000 18446744073709551615 1 1 0 0 0 0 0 4096 17610 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcCpu.parse(stat, 100)).isEqualTo(18.0);
        assertThatThrownBy(() -> ProcCpu.parse("4242 java S 1", 100)).hasMessageContaining("not a /proc/PID/stat line");
    }

    @Test
    void theCpuOfThisProcessIsReadable() {
        assertThat(ProcCpu.seconds(ProcessHandle.current().pid())).isPositive();
    }

    @Test
    void theProxyCountsTheActionOfTheAwsJsonProtocol() {
        assertThat(CountingProxy.action("AmazonSQS.ReceiveMessage")).isEqualTo("ReceiveMessage");
        assertThat(CountingProxy.action("DynamoDB_20120810.UpdateItem")).isEqualTo("UpdateItem");
        assertThat(CountingProxy.action(null)).isEqualTo("(no X-Amz-Target)");
    }

    @Test
    void threadCountsAreACommaSeparatedList() {
        DrillOptions options = DrillOptions.parse(
                "pipeline", List.of("--floor-threads", "8, 16,32"), java.util.Set.of("--floor-threads"));

        assertThat(options.intListOption("--floor-threads", List.of(1), 1)).containsExactly(8, 16, 32);
        assertThat(DrillOptions.parse("pipeline", List.of(), java.util.Set.of("--floor-threads"))
                        .intListOption("--floor-threads", List.of(8, 64), 1))
                .containsExactly(8, 64);
        assertThatThrownBy(() -> DrillOptions.parse(
                                "pipeline", List.of("--floor-threads", "8,x"), java.util.Set.of("--floor-threads"))
                        .intListOption("--floor-threads", List.of(), 1))
                .isInstanceOf(BadDrillArgumentException.class)
                .hasMessageContaining("--floor-threads")
                .hasMessageContaining("8,x");
        assertThatThrownBy(() -> DrillOptions.parse(
                                "pipeline", List.of("--floor-threads", "8,0"), java.util.Set.of("--floor-threads"))
                        .intListOption("--floor-threads", List.of(), 1))
                .isInstanceOf(BadDrillArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void thePipelinesConfigurationNamesOnlyEndpointsQueuesAndProviders() {
        String config = PipelineProcess.config(
                new PipelineProcess.Endpoints(
                        URI.create("http://127.0.0.1:1"),
                        "q-1",
                        URI.create("http://127.0.0.1:2"),
                        "herald-bench-status",
                        "http://127.0.0.1:3",
                        "http://127.0.0.1:4"),
                9999);

        assertThat(config)
                .contains(
                        "endpoint: http://127.0.0.1:1",
                        "queues: [q-1]",
                        "endpoint: http://127.0.0.1:2",
                        "baseUrl: http://127.0.0.1:4",
                        "adminPort: 9999");
        // No pipeline limit of the shipped defaults is changed: the drill measures them.
        assertThat(config).doesNotContain("maxInFlight", "maxReadersPerQueue", "receiveWait", "sendTimeout");
        // The secret goes by environment, never into a file.
        assertThat(config).doesNotContain("apiKey");
    }

    @Test
    void theLingerComparisonChangesOnlyReceiveLinger() {
        PipelineProcess.Endpoints e = new PipelineProcess.Endpoints(
                URI.create("http://127.0.0.1:1"),
                "q-1",
                URI.create("http://127.0.0.1:2"),
                "herald-bench-status",
                "http://127.0.0.1:3",
                "http://127.0.0.1:4");
        String shipped = PipelineProcess.config(e, 9999);
        String off = PipelineProcess.config(e, 9999, "0s");

        assertThat(shipped).doesNotContain("receiveLinger");
        assertThat(off).contains("pipeline:\n  adminPort: 9999\n  receiveLinger: 0s\nproviders:");
        assertThat(off.replace("  receiveLinger: 0s\n", "")).isEqualTo(shipped);
    }

    @Test
    void enqueueToDeliveryLatencyCountsEachMessagesFirstAcceptedDelivery() {
        long ms = 1_000_000L;
        java.util.Map<String, Long> enqueued = java.util.Map.of("a", 0L, "b", 10 * ms, "c", 20 * ms);
        List<EmailApiFake.Received> received = List.of(
                new EmailApiFake.Received(50 * ms, "a", 500),
                new EmailApiFake.Received(70 * ms, "a", 200),
                new EmailApiFake.Received(90 * ms, "a", 200),
                new EmailApiFake.Received(40 * ms, "b", 202),
                new EmailApiFake.Received(45 * ms, "warm-up", 200));
        // a: 70 ms (its 500 and its repeat do not count), b: 30 ms, c: never delivered (not a latency).
        assertThat(PipelineBench.latenciesMillis(enqueued, received)).containsExactlyInAnyOrder(70.0, 30.0);
    }
}
