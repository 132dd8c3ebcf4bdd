package io.herald.mailprog.message;

import io.herald.mailprog.slurm.JobEvent;
import io.herald.mailprog.slurm.SlurmValues;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job's stdout/stderr files as paths a user can open. slurmctld passes the patterns unexpanded
 * ({@code logs/%x-%j.out}); the replacements sbatch documents are applied where the value is known and left as written
 * where it is not. Relative paths are relative to the job's working directory. Before Slurm 25.11 the variable is
 * missing when --output was not given: then it is Slurm's default.
 */
public final class OutputPaths {

    private static final Pattern TOKEN = Pattern.compile("%(\\d*)([%AajJuxNs])");

    private OutputPaths() {}

    public static String stdout(JobEvent e) {
        String pattern = e.stdout();
        if (pattern == null) {
            if (e.workDir() == null) {
                return null;
            }
            pattern = e.arrayJobId() != null && !e.arraySummary() ? "slurm-%A_%a.out" : "slurm-%j.out";
        }
        return expand(pattern, e);
    }

    /** Empty stderr means it goes to the stdout file, which is Slurm's default. */
    public static String stderr(JobEvent e) {
        return e.stderr() == null ? null : expand(e.stderr(), e);
    }

    static String expand(String pattern, JobEvent e) {
        Matcher m = TOKEN.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(2)) {
                case "%" -> "%";
                case "A" -> e.arrayJobId() != null ? e.arrayJobId() : e.jobId();
                case "a" -> e.arrayTaskId() != null && !e.arraySummary() ? e.arrayTaskId() : null;
                case "j" -> e.jobId();
                case "u" -> e.user();
                case "x" -> e.name();
                case "N" ->
                    SlurmValues.firstHost(e.nodeList())
                            .map(h -> h.split("\\.", 2)[0])
                            .orElse(null);
                default -> null;
            };
            if (value == null) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String width = m.group(1);
            if (!width.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                value = String.format(
                        Locale.ROOT, "%0" + Math.min(10, Integer.parseInt(width)) + "d", Long.parseLong(value));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String path = out.toString();
        if (!path.startsWith("/") && e.workDir() != null) {
            path = e.workDir().endsWith("/") ? e.workDir() + path : e.workDir() + "/" + path;
        }
        return path;
    }
}
