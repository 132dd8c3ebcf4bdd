package io.herald.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pipeline drill's arithmetic over its runs: the floor of a repetition is the best of its thread counts; every
 * other run is set against the floor of its own repetition (measured just before it, on the same machine in the same
 * state); per label the medians over repetitions.
 */
final class DrainFigures {

    static final String FLOOR = "floor";

    private DrainFigures() {}

    /** The fastest floor run of repetition {@code repeat}. */
    static Optional<DrainRun> bestFloor(List<DrainRun> runs, int repeat) {
        return runs.stream()
                .filter(r -> r.kind().equals(FLOOR) && r.repeat() == repeat)
                .max(Comparator.comparingDouble(DrainRun::messagesPerSecond));
    }

    /** A run's throughput as a fraction of its repetition's best floor; NaN without a floor. */
    static double ratioToFloor(List<DrainRun> runs, DrainRun run) {
        return bestFloor(runs, run.repeat())
                .map(f -> run.messagesPerSecond() / f.messagesPerSecond())
                .orElse(Double.NaN);
    }

    /** Labels in the order first run, the floor's best first. */
    static List<String> labels(List<DrainRun> runs) {
        List<String> out = new ArrayList<>();
        out.add("floor (best of threads)");
        runs.stream()
                .filter(r -> !r.kind().equals(FLOOR))
                .map(DrainRun::label)
                .distinct()
                .forEach(out::add);
        return out;
    }

    /** The runs a label stands for; for the floor's, each repetition's best. */
    static List<DrainRun> runsOf(List<DrainRun> runs, String label) {
        if (label.startsWith(FLOOR)) {
            return runs.stream()
                    .map(DrainRun::repeat)
                    .distinct()
                    .sorted()
                    .flatMap(rep -> bestFloor(runs, rep).stream())
                    .toList();
        }
        return runs.stream().filter(r -> r.label().equals(label)).toList();
    }

    /** Per label: the medians over its runs, and every run's own figure beside them. */
    static Map<String, Map<String, Object>> medians(List<DrainRun> runs) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String label : labels(runs)) {
            List<DrainRun> of = runsOf(runs, label);
            if (of.isEmpty()) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("runs", of.size());
            row.put(
                    "messagesPerSecond",
                    median(of.stream().map(DrainRun::messagesPerSecond).toList()));
            row.put(
                    "messagesPerSecondEachRun",
                    of.stream().map(DrainRun::messagesPerSecond).toList());
            row.put(
                    "ratioToFloor",
                    median(of.stream().map(r -> ratioToFloor(runs, r)).toList()));
            row.put("cpuSeconds", median(of.stream().map(DrainRun::cpuSeconds).toList()));
            row.put(
                    "messagesPerCpuSecond",
                    median(of.stream().map(DrainRun::messagesPerCpuSecond).toList()));
            row.put(
                    "sqsRequestsPerMessage",
                    median(of.stream().map(DrainRun::sqsRequestsPerMessage).toList()));
            row.put("sqsRequestsPerMessageByAction", medianByAction(of, true));
            row.put(
                    "statusRequestsPerMessage",
                    median(of.stream().map(DrainRun::statusRequestsPerMessage).toList()));
            row.put("statusRequestsPerMessageByAction", medianByAction(of, false));
            row.put(
                    "storeCpuMillisPerMessage",
                    median(of.stream()
                            .map(r -> r.storeCpuSeconds() * 1000 / r.messages())
                            .toList()));
            row.put("duplicates", of.stream().mapToInt(DrainRun::duplicates).sum());
            row.put("lost", of.stream().mapToInt(DrainRun::lost).sum());
            out.put(label, row);
        }
        return out;
    }

    /**
     * The image under test against the baseline image, per kind of run ("0 ms warm"): the medians of the per-repetition
     * ratios (under test / baseline) of msg/s and of msg per CPU-second, each pair measured in the same repetition, one
     * right after the other.
     */
    static Map<String, Map<String, Object>> againstBaseline(List<DrainRun> runs) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        List<String> kinds = runs.stream()
                .map(DrainRun::label)
                .filter(l -> l.startsWith("herald "))
                .map(l -> l.substring("herald ".length()))
                .distinct()
                .toList();
        for (String kind : kinds) {
            List<Double> rate = new ArrayList<>();
            List<Double> perCpu = new ArrayList<>();
            for (DrainRun current : runs) {
                if (!current.label().equals("herald " + kind)) {
                    continue;
                }
                runs.stream()
                        .filter(b -> b.label().equals("baseline " + kind) && b.repeat() == current.repeat())
                        .findFirst()
                        .ifPresent(b -> {
                            rate.add(current.messagesPerSecond() / b.messagesPerSecond());
                            perCpu.add(current.messagesPerCpuSecond() / b.messagesPerCpuSecond());
                        });
            }
            if (rate.isEmpty()) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("pairs", rate.size());
            row.put("messagesPerSecondRatio", median(rate));
            row.put("messagesPerSecondRatioEachPair", rate);
            row.put("messagesPerCpuSecondRatio", median(perCpu));
            row.put("messagesPerCpuSecondRatioEachPair", perCpu);
            out.put(kind, row);
        }
        return out;
    }

    private static Map<String, Double> medianByAction(List<DrainRun> runs, boolean sqs) {
        Map<String, Double> out = new TreeMap<>();
        runs.stream()
                .flatMap(r -> (sqs ? r.sqs() : r.status()).keySet().stream())
                .distinct()
                .forEach(action -> out.put(
                        action,
                        median(runs.stream()
                                .map(r -> (sqs ? r.sqs() : r.status()).getOrDefault(action, 0L) / (double) r.messages())
                                .toList())));
        return out;
    }

    /** The median; NaN for none (or when any value is NaN, e.g. CPU not measured). */
    static double median(List<Double> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v.isNaN())) {
            return Double.NaN;
        }
        return PipelineBench.median(values);
    }

    /** "Receive 0.100, DeleteMessageBatch 0.100": a compact by-action cell, largest first. */
    static String byActionCell(Map<String, Double> byAction) {
        if (byAction.isEmpty()) {
            return "-";
        }
        List<String> cells = new ArrayList<>();
        byAction.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> cells.add(String.format(java.util.Locale.ROOT, "%s %.3f", e.getKey(), e.getValue())));
        return String.join(", ", cells);
    }
}
