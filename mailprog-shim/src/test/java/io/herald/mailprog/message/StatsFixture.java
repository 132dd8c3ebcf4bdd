package io.herald.mailprog.message;

import io.herald.mailprog.slurm.JobStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * JobStats as sacct would give them for cases the shared samples do not hold (figures seen on a real Slurm 22.05
 * cluster): start from a finished single-node job and change what matters.
 */
record StatsFixture(
        String state,
        String exitCode,
        Integer cpus,
        Duration timeLimit,
        Duration elapsed,
        Duration totalCpu,
        Long reqMem,
        Long maxRss,
        boolean finalState,
        Map<String, String> allocTres,
        Map<String, String> usageMax) {

    static final long MIB = 1L << 20;

    static StatsFixture finished() {
        return new StatsFixture(
                "COMPLETED",
                "0:0",
                1,
                Duration.ofHours(1),
                Duration.ofMinutes(10),
                Duration.ofMinutes(9),
                4096 * MIB,
                3000 * MIB,
                true,
                Map.of(),
                Map.of());
    }

    StatsFixture state(String s, String exit) {
        return new StatsFixture(
                s, exit, cpus, timeLimit, elapsed, totalCpu, reqMem, maxRss, finalState, allocTres, usageMax);
    }

    StatsFixture memory(long requested, long peak) {
        return new StatsFixture(
                state, exitCode, cpus, timeLimit, elapsed, totalCpu, requested, peak, finalState, allocTres, usageMax);
    }

    StatsFixture time(Duration limit, Duration ran, Duration cpuTime, int cpuCount) {
        return new StatsFixture(
                state, exitCode, cpuCount, limit, ran, cpuTime, reqMem, maxRss, finalState, allocTres, usageMax);
    }

    StatsFixture pending() {
        return new StatsFixture(
                "PENDING", "0:0", 0, timeLimit, Duration.ZERO, Duration.ZERO, reqMem, null, false, allocTres, usageMax);
    }

    StatsFixture tres(Map<String, String> alloc, Map<String, String> max) {
        return new StatsFixture(
                state, exitCode, cpus, timeLimit, elapsed, totalCpu, reqMem, maxRss, finalState, alloc, max);
    }

    JobStats stats() {
        Instant start = Instant.parse("2026-12-07T10:00:00Z");
        return new JobStats(
                "4300001",
                state,
                finalState,
                exitCode,
                "debug",
                "lab",
                "node1",
                1,
                cpus,
                start.minusSeconds(5),
                finalState ? start : null,
                finalState ? start.plus(elapsed) : null,
                timeLimit,
                elapsed,
                totalCpu,
                reqMem,
                maxRss,
                Map.of(),
                List.of(),
                allocTres,
                usageMax,
                Map.of());
    }
}
