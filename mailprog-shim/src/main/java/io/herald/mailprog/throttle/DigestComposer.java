package io.herald.mailprog.throttle;

import io.herald.core.config.Durations;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Fact;
import io.herald.mailprog.slurm.JobEvent;
import io.herald.mailprog.slurm.SlurmValues;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One message standing for many held notifications: how many, of which kinds and states, which jobs (array tasks folded
 * into ranges such as {@code 4243300_[1-4990]}), and the latest few. It stays far below every channel's size limit
 * however many notifications it folds.
 */
public final class DigestComposer {

    private static final int LISTED = 10;
    private static final int MAX_JOB_TEXT = 1500;

    private final int max;
    private final Duration window;
    private final ZoneId zone;

    /** @param zone the zone times are shown in, to the second */
    public DigestComposer(int max, Duration window, ZoneId zone) {
        this.max = max;
        this.window = window;
        this.zone = zone;
    }

    public Content compose(String user, List<Held> items) {
        return compose(
                user,
                items,
                String.format(
                        Locale.ROOT,
                        "You get at most %d notifications per %s; these came "
                                + "on top and are summed up here instead.",
                        max,
                        Durations.format(window)),
                "more ");
    }

    /** @param why the sentence that says why these were held (quiet hours, the user's digest choice) */
    public Content compose(String user, List<Held> items, String why) {
        return compose(user, items, why, "");
    }

    private Content compose(String user, List<Held> items, String why, String more) {
        List<Held> sorted =
                items.stream().sorted(Comparator.comparing(Held::capturedAt)).toList();
        String cluster = sorted.stream()
                .map(h -> h.event().cluster())
                .filter(c -> c != null)
                .findFirst()
                .orElse(null);
        String title = String.format(
                Locale.ROOT,
                "%,d %sSlurm job notification%s for %s%s",
                items.size(),
                more,
                items.size() == 1 ? "" : "s",
                user,
                cluster == null ? "" : " on " + cluster);
        Map<String, Integer> byMail = new TreeMap<>();
        Map<String, Integer> byState = new TreeMap<>();
        for (Held h : items) {
            byMail.merge(h.event().mailType().subjectWord(), 1, Integer::sum);
            if (h.event().state() != null) {
                byState.merge(h.event().state(), 1, Integer::sum);
            }
        }
        String jobs = jobIds(items.stream().map(Held::event).toList());
        List<Fact> facts = new ArrayList<>();
        if (cluster != null) {
            facts.add(new Fact("Cluster", cluster));
        }
        facts.add(new Fact("User", user));
        facts.add(new Fact("Notifications", String.format(Locale.ROOT, "%,d", items.size())));
        facts.add(new Fact("Events", tally(byMail)));
        if (!byState.isEmpty()) {
            facts.add(new Fact("States", tally(byState)));
        }
        facts.add(new Fact("Jobs", jobs));
        facts.add(new Fact(
                "Between",
                SlurmValues.formatTime(sorted.getFirst().capturedAt(), zone) + " and "
                        + SlurmValues.formatTime(sorted.getLast().capturedAt(), zone)));

        StringBuilder text = new StringBuilder(title).append("\n\n").append(why).append("\n\n");
        // The facts travel as facts (every channel shows them); the text has what they do not.
        text.append("Latest:\n");
        List<Held> latest = sorted.subList(Math.max(0, sorted.size() - LISTED), sorted.size());
        for (Held h : latest.reversed()) {
            JobEvent e = h.event();
            text.append("- ")
                    .append(e.displayId())
                    .append(e.name() == null ? "" : " (" + e.name() + ")")
                    .append(' ')
                    .append(e.mailType().subjectWord().toLowerCase(Locale.ROOT))
                    .append(e.state() == null ? "" : ": " + e.state())
                    .append(e.exitCode() == null ? "" : ", exit " + e.exitCode())
                    .append('\n');
        }
        return new Content(title, text.toString().stripTrailing(), null, facts, List.of(), List.of());
    }

    private static String tally(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
                .collect(Collectors.joining(", "));
    }

    /** Array tasks folded into {@code array_[ranges]}, plain jobs listed; cut with a count when long. */
    static String jobIds(List<JobEvent> events) {
        Map<String, TreeSet<Long>> tasks = new TreeMap<>();
        TreeSet<String> plain = new TreeSet<>();
        for (JobEvent e : events) {
            if (e.arrayJobId() != null
                    && e.arrayTaskId() != null
                    && e.arrayTaskId().chars().allMatch(Character::isDigit)) {
                tasks.computeIfAbsent(e.arrayJobId(), k -> new TreeSet<>()).add(Long.parseLong(e.arrayTaskId()));
            } else {
                plain.add(e.displayId());
            }
        }
        List<String> parts = new ArrayList<>();
        tasks.forEach((array, ids) -> parts.add(array + "_[" + ranges(ids) + "]"));
        parts.addAll(plain);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String next = (i == 0 ? "" : ", ") + parts.get(i);
            if (out.length() + next.length() > MAX_JOB_TEXT) {
                out.append(String.format(Locale.ROOT, " and %,d more", parts.size() - i));
                break;
            }
            out.append(next);
        }
        return out.toString();
    }

    private static String ranges(TreeSet<Long> ids) {
        List<String> out = new ArrayList<>();
        Long start = null;
        Long prev = null;
        for (long id : ids) {
            if (prev != null && id == prev + 1) {
                prev = id;
                continue;
            }
            if (start != null) {
                out.add(start.equals(prev) ? start.toString() : start + "-" + prev);
            }
            start = id;
            prev = id;
        }
        if (start != null) {
            out.add(start.equals(prev) ? start.toString() : start + "-" + prev);
        }
        String joined = String.join(",", out);
        return joined.length() > MAX_JOB_TEXT ? joined.substring(0, MAX_JOB_TEXT) + "…" : joined;
    }
}
