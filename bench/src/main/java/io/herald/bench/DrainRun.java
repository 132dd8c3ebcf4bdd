package io.herald.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * One measured drain: who drained (the floor at some thread count, the pipeline, the peer), in which repetition, how
 * long it took, the consumer's CPU, and the requests the servers counted.
 *
 * @param label what ran, e.g. "floor 32 threads", "herald 0 ms warm", "spring default"
 * @param kind {@code floor}, {@code herald} or {@code spring}: what the label is a case of
 * @param repeat 1-based repetition; runs of one repetition ran one after the other
 * @param messages messages on the queue at the start, all drained
 * @param seconds from the start (fill released, process started, threads started) to the last delete
 * @param cpuSeconds the consumer process's CPU time over the run (user + system); NaN if not measured
 * @param sqs SQS requests of the consumer during the run, by action (the fill is not counted)
 * @param status status-store (DynamoDB) requests during the run, by action
 * @param storeCpuSeconds DynamoDB Local's CPU time over the run
 * @param duplicates deliveries at the provider fakes beyond one per message (0 for consumers without a provider)
 * @param lost messages no provider fake accepted (0 for consumers without a provider)
 */
record DrainRun(
        String label,
        String kind,
        int repeat,
        int messages,
        double seconds,
        double cpuSeconds,
        Map<String, Long> sqs,
        Map<String, Long> status,
        double storeCpuSeconds,
        int duplicates,
        int lost) {

    DrainRun {
        sqs = new TreeMap<>(sqs);
        status = new TreeMap<>(status);
    }

    double messagesPerSecond() {
        return messages / seconds;
    }

    double messagesPerCpuSecond() {
        return messages / cpuSeconds;
    }

    double sqsRequestsPerMessage() {
        return sqs.values().stream().mapToLong(Long::longValue).sum() / (double) messages;
    }

    double statusRequestsPerMessage() {
        return status.values().stream().mapToLong(Long::longValue).sum() / (double) messages;
    }

    /** Requests per message by action. */
    static Map<String, Double> perMessage(Map<String, Long> counts, int messages) {
        Map<String, Double> out = new TreeMap<>();
        counts.forEach((action, n) -> out.put(action, n / (double) messages));
        return out;
    }

    /** What a counter shows now minus what it showed before: the requests of one run. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((action, n) -> {
            long d = n - before.getOrDefault(action, 0L);
            if (d != 0) {
                out.put(action, d);
            }
        });
        return out;
    }
}
