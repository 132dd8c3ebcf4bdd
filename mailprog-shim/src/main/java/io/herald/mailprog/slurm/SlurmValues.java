package io.herald.mailprog.slurm;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Slurm's text forms of durations, memory sizes, times and host lists, read leniently. */
public final class SlurmValues {

    /** [D-][HH:]MM:SS[.mmm] as sacct prints Elapsed, TotalCPU, CPUTime and Timelimit. */
    private static final Pattern ELAPSED = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d+)(?:\\.(\\d+))?");

    private static final Pattern MEMORY =
            Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGTP]?)([nc]?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CPUS_PER_NODE = Pattern.compile("(\\d+)(?:\\(x(\\d+)\\))?");
    private static final java.time.format.DateTimeFormatter PEOPLE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz", Locale.ENGLISH);
    private static final Pattern HOSTLIST_HEAD = Pattern.compile("([^\\[,]*)(?:\\[(\\d+)[^]]*])?.*");

    private SlurmValues() {}

    /**
     * Durations such as {@code 1-00:00:00}, {@code 02:34:27}, {@code 26:32.118}; empty for UNLIMITED, INVALID, blanks.
     */
    public static Optional<Duration> duration(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Matcher m = ELAPSED.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long hours = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        long minutes = Long.parseLong(m.group(3));
        long seconds = Long.parseLong(m.group(4));
        long millis = 0;
        if (m.group(5) != null) {
            String frac = (m.group(5) + "000").substring(0, 3);
            millis = Long.parseLong(frac);
        }
        return Optional.of(Duration.ofDays(days)
                .plusHours(hours)
                .plusMinutes(minutes)
                .plusSeconds(seconds)
                .plusMillis(millis));
    }

    /**
     * A size such as {@code 32G}, {@code 812344K}, {@code 1.49G} in bytes (Slurm's units are 1024-based). A trailing
     * {@code n} (per node) or {@code c} (per CPU) multiplies by the given counts.
     */
    public static Optional<Long> bytes(String text, int cpus, int nodes) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Matcher m = MEMORY.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        double value = Double.parseDouble(m.group(1));
        int power = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 1;
            case "G" -> 3;
            case "T" -> 4;
            case "P" -> 5;
            case "M" -> 2;
            default -> 0;
        };
        // sacct prints a bare number in MiB for ReqMem and bytes for MaxRSS; the unit-less cases we
        // meet (0) do not care.
        double result = value * Math.pow(1024, power);
        String per = m.group(3).toLowerCase(Locale.ROOT);
        if (per.equals("c")) {
            result *= Math.max(1, cpus);
        } else if (per.equals("n")) {
            result *= Math.max(1, nodes);
        }
        return Optional.of((long) result);
    }

    /** Epoch seconds (SLURM_TIME_FORMAT=%s) or ISO local time as sacct prints by default; empty for Unknown/None. */
    public static Optional<Instant> instant(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.chars().allMatch(Character::isDigit)) {
            long v = Long.parseLong(t);
            return v > 0 ? Optional.of(Instant.ofEpochSecond(v)) : Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(t).atZone(zone).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The first host of a hostlist expression: {@code cn[101-102]} → {@code cn101}. */
    public static Optional<String> firstHost(String hostlist) {
        if (hostlist == null || hostlist.isBlank() || hostlist.equals("(null)") || hostlist.startsWith("None")) {
            return Optional.empty();
        }
        Matcher m = HOSTLIST_HEAD.matcher(hostlist.strip());
        if (!m.matches() || m.group(1).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
    }

    /**
     * What sacct records as the limit of a job that had none when the backfill scheduler started it: with the job's and
     * the partition's limits both infinite, sched/backfill plans the job at a year (YEAR_MINUTES) and that year is what
     * accounting keeps. Seen on a real Slurm 22.05 node under load, where backfill rather than the main scheduler
     * started a job submitted without --time; on a quiet node the same job shows UNLIMITED.
     */
    static final String BACKFILL_YEAR = "365-00:00:00";

    /**
     * Timelimit values that mean "no limit of the job's own": sacct prints UNLIMITED for an infinite limit and
     * Partition_Limit when the job inherits the partition's, and {@link #BACKFILL_YEAR} when backfill started a job
     * that had none. (A job that truly asked for --time=365-00:00:00 gets no --time hint: harmless.)
     */
    public static boolean noTimeLimit(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        return t.isEmpty()
                || t.equals(BACKFILL_YEAR)
                || t.equals("UNLIMITED")
                || t.equals("INFINITE")
                || t.equals("PARTITION_LIMIT")
                || t.equals("NONE")
                || t.equals("INVALID");
    }

    /**
     * All CPUs of a job from SLURM_JOB_CPUS_PER_NODE as Slurm compresses it: {@code 32(x2)} is 64, {@code 4,2(x3)} is
     * 10. Empty when the text is not in that form.
     */
    public static Optional<Integer> totalCpus(String cpusPerNode) {
        if (cpusPerNode == null || cpusPerNode.isBlank()) {
            return Optional.empty();
        }
        long total = 0;
        for (String part : cpusPerNode.strip().split(",")) {
            Matcher m = CPUS_PER_NODE.matcher(part.strip());
            if (!m.matches()) {
                return Optional.empty();
            }
            total += Long.parseLong(m.group(1)) * (m.group(2) == null ? 1 : Long.parseLong(m.group(2)));
        }
        return total > 0 && total <= Integer.MAX_VALUE ? Optional.of((int) total) : Optional.empty();
    }

    /**
     * A TRES list as sacct prints it ({@code billing=4,cpu=4,gres/gpu=2,mem=16G,node=1}), in order; entries without
     * {@code =} are skipped.
     */
    public static java.util.Map<String, String> tres(String text) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String entry : text.strip().split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                out.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
            }
        }
        return out;
    }

    /** {@code 2026-12-07 14:03:12 UTC}: a moment for people, to the second, in the given zone. */
    public static String formatTime(Instant t, ZoneId zone) {
        // "Z" means nothing to most readers; "UTC" does.
        return PEOPLE_TIME.format(t.atZone(zone.equals(java.time.ZoneOffset.UTC) ? ZoneId.of("UTC") : zone));
    }

    /** HH:MM:SS, with a day prefix past 24 h, as Slurm shows durations. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        long days = s / 86_400;
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", (s / 3600) % 24, (s / 60) % 60, s % 60);
        return days > 0 ? days + "-" + hms : hms;
    }

    /** 12.7 GiB, 812 MiB: sizes for people. */
    public static String formatBytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v >= 100 || u == 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v))
                + " " + units[u];
    }
}
