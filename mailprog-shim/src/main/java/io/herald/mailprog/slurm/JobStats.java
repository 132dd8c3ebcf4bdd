package io.herald.mailprog.slurm;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What accounting (sacct) knows about a job once it ran: usage against request.
 * Null where sacct had nothing (a job that never started, a field Slurm left empty).
 *
 * @param jobId        the JobID of the job row (e.g. {@code 4243300_7})
 * @param state        its state, as sacct shows it (e.g. {@code CANCELLED by 51234})
 * @param finalState   whether that state is final (accounting has caught up with the job)
 * @param exitCode     {@code exit:signal}
 * @param partition    partition
 * @param account      account
 * @param nodeList     nodes
 * @param nodes        node count
 * @param cpus         CPUs allocated
 * @param submit       submission time
 * @param start        start time
 * @param end          end time
 * @param timeLimit    time limit; null when unlimited
 * @param elapsed      wall time used
 * @param totalCpu     CPU time used (user + system)
 * @param reqMem       memory requested, bytes (per-CPU and per-node requests multiplied out)
 * @param maxRss       highest resident memory of any step, bytes
 * @param taskStates   for an array summary: tasks per state
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
        Map<String, Integer> taskStates) {

    public JobStats {
        taskStates = taskStates == null ? Map.of() : Map.copyOf(taskStates);
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
