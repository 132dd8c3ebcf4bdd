package io.herald.core.envelope;

/**
 * The Slurm job a notification is about, as the MailProg shim learned it from slurmctld's environment, the subject line
 * and sacct. Every field is optional: older Slurm versions pass almost nothing, and a notification is still worth
 * sending without them.
 *
 * @param jobId the job id (for an array task, the task's own id)
 * @param arrayJobId the array's id, for array jobs
 * @param arrayTaskId the task index, or {@code *} for an array summary
 * @param name the job name: user text, never trusted for structure
 * @param user the submitting user
 * @param cluster the cluster name
 * @param partition the partition the job ran in
 * @param mailType Slurm's subject word: Began, Ended, Failed, Requeued, ...
 * @param state the job state, e.g. COMPLETED, FAILED, OUT_OF_MEMORY
 * @param exitCode {@code exit:signal}, as sacct shows it
 * @param queuedTime time from submission to start, as Slurm formats it
 * @param runTime elapsed time, as Slurm formats it
 * @param workDir the job's working directory
 * @param stdout the job's stdout path (patterns expanded when known)
 * @param stderr the job's stderr path (patterns expanded when known)
 */
public record SlurmJob(
        String jobId,
        String arrayJobId,
        String arrayTaskId,
        String name,
        String user,
        String cluster,
        String partition,
        String mailType,
        String state,
        String exitCode,
        String queuedTime,
        String runTime,
        String workDir,
        String stdout,
        String stderr) {}
