package io.herald.mailprog.message;

import io.herald.mailprog.slurm.JobStats.TaskOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An array's tasks counted by state and exit code, naming the tasks that did not complete: {@code 12 tasks: 9
 * COMPLETED, 2 FAILED (exit 3: tasks 4, 7), 1 TIMEOUT (task 11)}. The user sees at once which tasks to look at, without
 * listing thousands of successes.
 */
final class ArrayTally {

    /** Task ids named per group before the rest are only counted. */
    private static final int NAMED = 8;

    private ArrayTally() {}

    static String describe(List<TaskOutcome> tasks) {
        Map<String, List<TaskOutcome>> byState = new LinkedHashMap<>();
        int total = 0;
        for (TaskOutcome t : tasks) {
            byState.computeIfAbsent(t.state(), k -> new ArrayList<>()).add(t);
            total += t.count();
        }
        List<Map.Entry<String, List<TaskOutcome>>> groups = new ArrayList<>(byState.entrySet());
        groups.sort(Comparator.<Map.Entry<String, List<TaskOutcome>>>comparingInt(g -> -count(g.getValue()))
                .thenComparing(Map.Entry::getKey));
        List<String> parts = new ArrayList<>();
        for (var g : groups) {
            String state = g.getKey();
            List<TaskOutcome> members = g.getValue();
            String part = count(members) + " " + state;
            if (!state.equals("COMPLETED")) {
                part += " (" + detail(state, members) + ")";
            }
            parts.add(part);
        }
        return String.format(Locale.ROOT, "%d task%s: %s", total, total == 1 ? "" : "s", String.join(", ", parts));
    }

    /** FAILED tasks grouped by how they ended (exit 3, signal 9); other states by task id only. */
    private static String detail(String state, List<TaskOutcome> members) {
        if (!state.equals("FAILED")) {
            return names(members);
        }
        Map<String, List<TaskOutcome>> byExit = new LinkedHashMap<>();
        for (TaskOutcome t : members) {
            byExit.computeIfAbsent(howItEnded(t.exitCode()), k -> new ArrayList<>())
                    .add(t);
        }
        List<String> out = new ArrayList<>();
        byExit.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> -count(e.getValue())))
                .forEach(e ->
                        out.add(e.getKey().isEmpty() ? names(e.getValue()) : e.getKey() + ": " + names(e.getValue())));
        return String.join("; ", out);
    }

    private static String howItEnded(String exitCode) {
        if (exitCode == null || exitCode.isBlank()) {
            return "";
        }
        String[] p = exitCode.strip().split(":", 2);
        if (p.length == 2 && !p[1].equals("0")) {
            return "signal " + p[1];
        }
        return "exit " + p[0];
    }

    private static String names(List<TaskOutcome> members) {
        List<TaskOutcome> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingLong(ArrayTally::order));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Math.min(NAMED, sorted.size()); i++) {
            String id = sorted.get(i).taskId();
            ids.add(id.startsWith("[") ? id.substring(1, id.length() - 1) : id);
        }
        String more = sorted.size() > NAMED ? String.format(Locale.ROOT, " and %d more", sorted.size() - NAMED) : "";
        return (count(members) == 1 ? "task " : "tasks ") + String.join(", ", ids) + more;
    }

    private static long order(TaskOutcome t) {
        String digits = t.taskId().replaceAll("^\\[?(\\d+).*", "$1");
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static int count(List<TaskOutcome> members) {
        return members.stream().mapToInt(TaskOutcome::count).sum();
    }
}
