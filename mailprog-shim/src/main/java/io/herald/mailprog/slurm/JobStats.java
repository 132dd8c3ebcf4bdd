package io.herald.mailprog.slurm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What accounting (sacct) knows about a job once it ran: usage against request. Null where sacct had nothing (a job
 * that never started, a field Slurm left empty).
 *
 * @param jobId the JobID of the job row (e.g. {@code 4243300_7})
 * @param state its state, as sacct shows it (e.g. {@code CANCELLED by 51234})
 * @param finalState whether that state is final (accounting has caught up with the job)
 * @param exitCode {@code exit:signal}
 * @param partition partition
 * @param account account
 * @param nodeList nodes
 * @param nodes node count
 * @param cpus CPUs allocated
 * @param submit submission time
 * @param start start time
 * @param end end time
 * @param timeLimit time limit; null when unlimited
 * @param elapsed wall time used
 * @param totalCpu CPU time used (user + system)
 * @param reqMem memory requested, bytes (per-CPU and per-node requests multiplied out)
 * @param maxRss highest resident memory of any step, bytes
 * @param taskStates for an array summary: tasks per state
 * @param tasks for an array summary: each task row (or pending range) with its state and exit code
 * @param allocTres the job's AllocTRES, name → value as sacct prints it ({@code gres/gpu} → {@code 2})
 * @param tresUsageMax TRESUsageInMax, highest over the steps per name ({@code gres/gpuutil} → {@code 37}); empty where
 *     the site does not gather it
 * @param tresUsageTot TRESUsageInTot of the batch step (or the step that used most), name → value
 */
public record JobStats(
        String jobId,
        String state,
        boolean finalState,
        String exitCode,
        String partition,
        String account,
        String nodeList,
        Integer nodes,
        Integer cpus,
        Instant submit,
        Instant start,
        Instant end,
        Duration timeLimit,
        Duration elapsed,
        Duration totalCpu,
        Long reqMem,
        Long maxRss,
        Map<String, Integer> taskStates,
        List<TaskOutcome> tasks,
        Map<String, String> allocTres,
        Map<String, String> tresUsageMax,
        Map<String, String> tresUsageTot) {

    public JobStats {
        taskStates = taskStates == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(taskStates));
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        allocTres = allocTres == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(allocTres));
        tresUsageMax = tresUsageMax == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tresUsageMax));
        tresUsageTot = tresUsageTot == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tresUsageTot));
    }

    /**
     * One array task as sacct shows it.
     *
     * @param taskId the task index, or a pending range such as {@code [4-5]}
     * @param count tasks the row stands for (more than one for a pending range)
     * @param state its base state
     * @param exitCode {@code exit:signal} as sacct prints it, or null
     */
    public record TaskOutcome(String taskId, int count, String state, String exitCode) {}

    /** Whether it ran at all (a job cancelled while pending did not). */
    public boolean ran() {
        return start != null || (elapsed != null && !elapsed.isZero());
    }

    /** TotalCPU / (Elapsed × CPUs), when all three are known and non-zero. */
    public Double cpuEfficiency() {
        if (totalCpu == null || elapsed == null || cpus == null || cpus == 0 || elapsed.isZero()) {
            return null;
        }
        return totalCpu.toMillis() / (double) (elapsed.toMillis() * cpus);
    }

    /** The state's first word: {@code CANCELLED by 51234} → {@code CANCELLED}. */
    public String baseState() {
        return state == null ? null : state.split(" ", 2)[0];
    }
}
