package io.herald.mailprog.slurm;

import io.herald.mailprog.spool.SpoolRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a captured MailProg invocation into a {@link JobEvent}: environment first (Slurm 21.08+ exports the job's facts
 * as SLURM_JOB_*), the subject only for what the environment lacks, and argv strictly by position ({@code MailProg -s
 * <subject> <mail_user>}), since a mail_user such as {@code -oFoo} would fool an option parser.
 */
public final class JobEventParser {

    /**
     * @throws UnusableEventException when the record does not say which job or which mail it is about, or names nobody
     *     to send to
     */
    public JobEvent parse(SpoolRecord record) {
        List<String> notes = new ArrayList<>();
        if (record.argc() != 4) {
            throw new UnusableEventException("argv has " + (record.argc() - 1) + " arguments after the program; "
                    + "slurmctld always passes 3 (-s <subject> <mail_user>): was it run by hand?");
        }
        if (!"-s".equals(record.arg(1).orElse(""))) {
            notes.add("argv[1] is not -s; reading the subject and mail_user by position anyway");
        }
        String subject = record.arg(2).orElse("");
        String mailUser = record.arg(3).orElse("");
        if (!record.notUtf8().isEmpty()) {
            notes.add("not valid UTF-8 (shown with U+FFFD): " + String.join(", ", record.notUtf8()));
        }
        Map<String, String> env = record.env();
        Optional<String> envName = value(env, "SLURM_JOB_NAME");
        Optional<ParsedSubject> parsed = SubjectParser.parse(subject, envName);
        ParsedSubject s = parsed.orElse(null);
        if (s == null) {
            notes.add("subject not in any format slurmctld writes; using the environment only");
        }

        MailType type = value(env, "SLURM_JOB_MAIL_TYPE")
                .flatMap(MailType::fromSubjectWord)
                .orElse(s == null ? null : s.mailType());
        String jobId =
                value(env, "SLURM_JOB_ID").or(() -> value(env, "SLURM_JOBID")).orElse(s == null ? null : s.jobId());
        if (type == null || jobId == null) {
            throw new UnusableEventException("cannot tell " + (jobId == null ? "which job" : "which mail")
                    + " this is: no SLURM_JOB_" + (jobId == null ? "ID" : "MAIL_TYPE")
                    + " in the environment and the subject is not in a format slurmctld writes");
        }
        boolean fromEnv = env.containsKey("SLURM_JOB_ID") || env.containsKey("SLURM_JOB_MAIL_TYPE");
        if (!fromEnv) {
            notes.add("no job environment (Slurm before 21.08): facts come from the subject line");
        }

        String arrayJobId = value(env, "SLURM_ARRAY_JOB_ID").orElse(s == null ? null : s.arrayJobId());
        boolean summary = s != null && s.arraySummary();
        String arrayTaskId =
                summary ? "*" : value(env, "SLURM_ARRAY_TASK_ID").orElse(s == null ? null : s.arrayTaskId());
        if (arrayJobId == null) {
            arrayTaskId = null;
        }

        String envState = value(env, "SLURM_JOB_STATE").orElse(null);
        String subjectState = s == null ? null : s.state();
        // An array summary's own word (Mixed, or the tasks' common state) says more than the meta record's.
        String state = summary && subjectState != null ? subjectState : envState != null ? envState : subjectState;

        Integer exitCode = null;
        Integer signal = null;
        Optional<String> exit2 = value(env, "SLURM_JOB_EXIT_CODE2");
        if (exit2.isPresent() && !summary && (type == MailType.END || type == MailType.FAIL)) {
            String[] parts = exit2.get().split(":", 2);
            Integer code = integer(parts[0]);
            Integer sig = parts.length > 1 ? integer(parts[1]) : null;
            if (sig != null && sig != 0) {
                signal = sig;
            } else {
                exitCode = code;
            }
        } else if (s != null) {
            exitCode = s.exitCode();
        }
        String range = s != null ? s.exitCodeRange() : null;
        if (range == null && summary) {
            Optional<String> min = value(env, "SLURM_JOB_EXIT_CODE_MIN");
            Optional<String> max = value(env, "SLURM_JOB_EXIT_CODE_MAX");
            if (min.isPresent() && max.isPresent()) {
                range = min.get() + "-" + max.get();
            }
        }
        if (summary && s != null && s.maxSignal() != null) {
            signal = s.maxSignal();
        }

        String name = envName.orElse(s == null ? null : s.name());
        String time = s == null ? null : s.time();
        String queued =
                value(env, "SLURM_JOB_QUEUED_TIME").orElse(s != null && "Queued".equals(s.timeLabel()) ? time : null);
        String run = value(env, "SLURM_JOB_RUN_TIME").orElse(s != null && "Run".equals(s.timeLabel()) ? time : null);
        if (type == MailType.STAGE_OUT) {
            run = value(env, "SLURM_JOB_STAGE_OUT_TIME").orElse(run);
        }

        return new JobEvent(
                jobId,
                arrayJobId,
                arrayTaskId,
                summary,
                value(env, "SLURM_ARRAY_TASK_COUNT")
                        .map(JobEventParser::integer)
                        .orElse(null),
                value(env, "SLURM_HET_JOB_ID").orElse(null),
                value(env, "SLURM_HET_JOB_OFFSET").orElse(null),
                name,
                value(env, "SLURM_JOB_USER").orElse(null),
                value(env, "SLURM_JOB_UID").orElse(null),
                value(env, "SLURM_CLUSTER_NAME").orElse(null),
                value(env, "SLURM_JOB_PARTITION").orElse(null),
                value(env, "SLURM_JOB_ACCOUNT").orElse(null),
                value(env, "SLURM_JOB_QOS").orElse(null),
                type,
                state,
                exitCode,
                signal,
                range,
                s != null && s.requeuedTasks(),
                queued,
                run,
                value(env, "SLURM_JOB_NODELIST").orElse(null),
                value(env, "SLURM_JOB_NUM_NODES").map(JobEventParser::integer).orElse(null),
                value(env, "SLURM_JOB_CPUS_PER_NODE").orElse(null),
                value(env, "SLURM_JOB_WORK_DIR").orElse(null),
                value(env, "SLURM_JOB_STDOUT").orElse(null),
                value(env, "SLURM_JOB_STDERR").orElse(null),
                epoch(value(env, "SLURM_JOB_START_TIME")),
                epoch(value(env, "SLURM_JOB_END_TIME")),
                value(env, "SLURM_JOB_COMMENT").orElse(null),
                mailUser,
                notes);
    }

    /** Present, not empty and not Slurm's {@code (null)}. */
    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() || "(null)".equals(v) ? Optional.empty() : Optional.of(v);
    }

    private static Integer integer(String s) {
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant epoch(Optional<String> seconds) {
        try {
            long v = Long.parseLong(seconds.orElse("0").strip());
            return v > 0 ? Instant.ofEpochSecond(v) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
