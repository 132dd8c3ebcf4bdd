package io.herald.mailprog.slurm;

import java.time.Instant;
import java.util.List;

/**
 * One job event as slurmctld reported it to MailProg: from the environment where Slurm (21.08+) sets it, from the
 * subject line where it does not. Absent values are null: old Slurm versions pass almost nothing, and a notification is
 * still worth sending.
 *
 * @param jobId the job's own id (an array task's own id, an array summary's meta id)
 * @param arrayJobId the array's id, for array jobs
 * @param arrayTaskId the task index, or {@code *} for an array summary
 * @param arraySummary the mail is about the whole array (no ARRAY_TASKS)
 * @param arrayTaskCount tasks in the array, when Slurm says
 * @param hetJobId the heterogeneous job's leader id, for het jobs
 * @param hetJobOffset this component's offset in the het job
 * @param name the job name (user text)
 * @param user the submitting user
 * @param uid the user's uid, as Slurm passed it
 * @param cluster the cluster
 * @param partition the partition
 * @param account the account
 * @param qos the QOS (Slurm 26.05+)
 * @param mailType which mail this is
 * @param state the job state (base state from the environment, or the subject's)
 * @param exitCode the exit code, when the job exited rather than being killed
 * @param signal the signal that killed it, when it was killed
 * @param exitCodeRange {@code min-max} over an array's tasks
 * @param requeuedTasks an array summary that says some tasks were requeued
 * @param queuedTime time from submission to start, as Slurm formats it
 * @param runTime time it ran, as Slurm formats it
 * @param nodeList the nodes (a hostlist expression such as cn[101-102])
 * @param numNodes how many nodes
 * @param cpusPerNode CPUs per node as Slurm compresses it, e.g. {@code 32(x2)}
 * @param workDir the working directory
 * @param stdout the stdout path or pattern as Slurm passed it (unexpanded)
 * @param stderr the stderr path or pattern as Slurm passed it (unexpanded)
 * @param startTime when it started
 * @param endTime when it ended (or is expected to, while running)
 * @param comment the job's comment
 * @param mailUser the --mail-user string (argv[3]), to be split into receivers
 * @param notes what the parse noticed and the reader may want to know (fallbacks, bad bytes)
 */
public record JobEvent(
        String jobId,
        String arrayJobId,
        String arrayTaskId,
        boolean arraySummary,
        Integer arrayTaskCount,
        String hetJobId,
        String hetJobOffset,
        String name,
        String user,
        String uid,
        String cluster,
        String partition,
        String account,
        String qos,
        MailType mailType,
        String state,
        Integer exitCode,
        Integer signal,
        String exitCodeRange,
        boolean requeuedTasks,
        String queuedTime,
        String runTime,
        String nodeList,
        Integer numNodes,
        String cpusPerNode,
        String workDir,
        String stdout,
        String stderr,
        Instant startTime,
        Instant endTime,
        String comment,
        String mailUser,
        List<String> notes) {

    public JobEvent {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** The same event with another --mail-user (what is left once the forwarder took items meant for it). */
    public JobEvent withMailUser(String newMailUser) {
        return new JobEvent(
                jobId,
                arrayJobId,
                arrayTaskId,
                arraySummary,
                arrayTaskCount,
                hetJobId,
                hetJobOffset,
                name,
                user,
                uid,
                cluster,
                partition,
                account,
                qos,
                mailType,
                state,
                exitCode,
                signal,
                exitCodeRange,
                requeuedTasks,
                queuedTime,
                runTime,
                nodeList,
                numNodes,
                cpusPerNode,
                workDir,
                stdout,
                stderr,
                startTime,
                endTime,
                comment,
                newMailUser,
                notes);
    }

    /** The id users see: {@code 4243300_7} for an array task, {@code 4243000_*} for a summary, else the job id. */
    public String displayId() {
        if (arrayJobId != null && arrayTaskId != null) {
            return arrayJobId + "_" + arrayTaskId;
        }
        return jobId;
    }

    /**
     * The id to ask sacct about: the array for a summary, {@code array_task} for a task (its own id may not be known
     * yet to accounting, or be the meta record's), else the job itself.
     */
    public String accountingId() {
        if (arrayJobId != null && arraySummary) {
            return arrayJobId;
        }
        if (arrayJobId != null && arrayTaskId != null && arrayTaskId.chars().allMatch(Character::isDigit)) {
            return arrayJobId + "_" + arrayTaskId;
        }
        return jobId;
    }
}
