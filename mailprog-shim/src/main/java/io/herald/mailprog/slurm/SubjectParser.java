package io.herald.mailprog.slurm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads slurmctld's subject line when the environment does not say enough (Slurm before 21.08).
 *
 * <p>The job name sits in the middle and is user text: it may contain quotes, commas, {@code |}, the word "Array" or a
 * complete fake {@code "Ended, Run time 00:00:01, COMPLETED, ExitCode 0"}. So the parse anchors on both ends: the fixed
 * prefix up to {@code Name=}, and the grammar of what Slurm appends (mail word, time, termination) matched against the
 * very end of the line. The name is whatever lies between. When the environment already names the job, that exact name
 * is required after {@code Name=} and only the rest is parsed.
 */
public final class SubjectParser {

    private static final Pattern PREFIX = Pattern.compile(
            "^(?:Slurm|SLURM) (?:Job_id=(\\d+)|Array Task Job_id=(\\d+)_(\\d+) \\((\\d+)\\)"
                    + "|Array Summary Job_id=(\\d+)_\\* \\((\\d+)\\)) Name=",
            Pattern.DOTALL);

    private static final String MAIL_WORD = "(Began|Ended|Failed|Requeued|Reached (?:50|80|90)% of time limit"
            + "|Reached time limit|StageOut/Teardown|Invalid dependency)";
    private static final String TIME = "(?:\\d+-)?\\d+:\\d\\d:\\d\\d|INVALID|UNLIMITED|Unknown";
    private static final String SUFFIX = MAIL_WORD
            + "(?:, (Queued|Run) time (" + TIME + "))?"
            + "(?: time ?)?"
            + "(?:, (Mixed|[A-Z][A-Z_]*)"
            + "(?:, ExitCode (\\d+)|, ExitCode \\[(\\d+-\\d+)]|, MaxSignal \\[(\\d+)]|, MaxExitCode \\[(\\d+)])?)?"
            + "(, with requeued tasks)?$";

    /** Greedy name: the engine backs off from the end, so the suffix that matches is the last one. */
    private static final Pattern NAME_AND_SUFFIX = Pattern.compile("^(.*) " + SUFFIX, Pattern.DOTALL);

    private static final Pattern SUFFIX_ONLY = Pattern.compile("^" + SUFFIX, Pattern.DOTALL);

    private SubjectParser() {}

    /**
     * @param subject the subject as slurmctld passed it
     * @param knownName the job name from SLURM_JOB_NAME, when present and non-empty
     */
    public static Optional<ParsedSubject> parse(String subject, Optional<String> knownName) {
        if (subject == null) {
            return Optional.empty();
        }
        Matcher prefix = PREFIX.matcher(subject);
        if (!prefix.lookingAt()) {
            return Optional.empty();
        }
        String rest = subject.substring(prefix.end());
        String name = null;
        Matcher suffix = null;
        if (knownName.isPresent() && rest.startsWith(knownName.get() + " ")) {
            Matcher m = SUFFIX_ONLY.matcher(rest.substring(knownName.get().length() + 1));
            if (m.matches()) {
                name = knownName.get();
                suffix = m;
            }
        }
        int offset = 1;
        if (suffix == null) {
            Matcher m = NAME_AND_SUFFIX.matcher(rest);
            if (!m.matches()) {
                return Optional.empty();
            }
            name = m.group(1);
            suffix = m;
            offset = 2;
        }
        MailType type = MailType.fromSubjectWord(suffix.group(offset)).orElseThrow();
        boolean summary = prefix.group(5) != null;
        boolean task = prefix.group(2) != null;
        String jobId = summary ? prefix.group(6) : task ? prefix.group(4) : prefix.group(1);
        String arrayJobId = summary ? prefix.group(5) : task ? prefix.group(2) : null;
        String arrayTaskId = summary ? "*" : task ? prefix.group(3) : null;
        return Optional.of(new ParsedSubject(
                summary,
                jobId,
                arrayJobId,
                arrayTaskId,
                name,
                type,
                suffix.group(offset + 1),
                suffix.group(offset + 2),
                suffix.group(offset + 3),
                integer(suffix.group(offset + 4)),
                suffix.group(offset + 5),
                integer(suffix.group(offset + 6)),
                integer(suffix.group(offset + 7)),
                suffix.group(offset + 8) != null));
    }

    private static Integer integer(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
