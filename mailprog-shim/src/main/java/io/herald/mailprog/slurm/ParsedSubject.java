package io.herald.mailprog.slurm;

/**
 * What a subject line says, by position: slurmctld's {@code mail_job_info} formats {@code "Slurm Job_id=%u Name=%s
 * %s%s%s"} and its two array variants.
 *
 * @param arraySummary the "Array Summary" form ({@code Job_id=<array>_* (<id>)})
 * @param jobId the job's own id (for arrays the one in parentheses)
 * @param arrayJobId the array's id, for both array forms
 * @param arrayTaskId the task index for the "Array Task" form, {@code *} for a summary
 * @param name the job name (user text; found by anchoring on what follows it)
 * @param mailType the mail
 * @param timeLabel {@code Queued} or {@code Run}, when a time follows
 * @param time that time as Slurm wrote it
 * @param state the state in the termination part, e.g. COMPLETED, OUT_OF_MEMORY, Mixed
 * @param exitCode the exit code when the job exited (no signal)
 * @param exitCodeRange {@code min-max} for array summaries
 * @param maxSignal the highest signal among an array's tasks
 * @param maxExitCode the highest exit code among an array's tasks
 * @param requeuedTasks an array summary that says "with requeued tasks"
 */
public record ParsedSubject(
        boolean arraySummary,
        String jobId,
        String arrayJobId,
        String arrayTaskId,
        String name,
        MailType mailType,
        String timeLabel,
        String time,
        String state,
        Integer exitCode,
        String exitCodeRange,
        Integer maxSignal,
        Integer maxExitCode,
        boolean requeuedTasks) {}
