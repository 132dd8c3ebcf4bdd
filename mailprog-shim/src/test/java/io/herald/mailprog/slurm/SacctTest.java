package io.herald.mailprog.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.mailprog.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sacct against a fake that replays shared/slurm/sacct_samples.txt. */
class SacctTest {

    @TempDir
    Path dir;

    private final List<Duration> slept = new ArrayList<>();

    private Sacct sacct(int attempts) throws Exception {
        return new Sacct(
                Fixtures.fakeSacct(dir),
                attempts,
                Duration.ofSeconds(2),
                Duration.ofSeconds(20),
                Duration.ZERO,
                ZoneOffset.UTC,
                slept::add);
    }

    private static JobEvent event(String jobId, MailType type) {
        return new JobEvent(
                jobId, null, null, false, null, null, null, "x", "alice", null, "hpc1", null, null, null, type, null,
                null, null, null, false, null, null, null, null, null, null, null, null, null, null, null, "alice",
                List.of());
    }

    @Test
    void aCompletedJobsUsageIsReadFromTheJobAndItsSteps() throws Exception {
        JobStats s = sacct(3).statsFor(event("4242001", MailType.END)).orElseThrow();

        assertThat(s.state()).isEqualTo("COMPLETED");
        assertThat(s.finalState()).isTrue();
        assertThat(s.cpus()).isEqualTo(8);
        assertThat(s.elapsed()).isEqualTo(Duration.parse("PT2H34M27S"));
        assertThat(s.timeLimit()).isEqualTo(Duration.ofDays(1));
        assertThat(s.totalCpu()).isEqualTo(Duration.parse("PT17H58M12S"));
        assertThat(s.reqMem()).isEqualTo(32L << 30);
        assertThat(s.maxRss()).as("the python step's MaxRSS").isEqualTo(13287424L * 1024);
        assertThat(s.cpuEfficiency()).isBetween(0.87, 0.88);
        assertThat(slept).isEmpty();
    }

    @Test
    void accountingLagIsWaitedOutUntilTheJobShowsAFinalState() throws Exception {
        Fixtures.lag(dir, "4242001", 2);
        Sacct sacct = sacct(5);

        JobStats s = sacct.statsFor(event("4242001", MailType.END)).orElseThrow();

        assertThat(s.state()).isEqualTo("COMPLETED");
        assertThat(Fixtures.calls(dir, "4242001")).isEqualTo(3);
        assertThat(slept).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void theWaitIsBoundedAndThenWhatAccountingKnowsIsUsed() throws Exception {
        Fixtures.lag(dir, "4242001", 100);

        Optional<JobStats> s = sacct(3).statsFor(event("4242001", MailType.END));

        assertThat(Fixtures.calls(dir, "4242001")).isEqualTo(3);
        assertThat(s).map(JobStats::state).contains("RUNNING");
        assertThat(s).map(JobStats::finalState).contains(false);
    }

    @Test
    void aBeginMailDoesNotWaitForTheJobToFinish() throws Exception {
        Fixtures.lag(dir, "4242001", 100);

        Optional<JobStats> s = sacct(5).statsFor(event("4242001", MailType.BEGIN));

        assertThat(Fixtures.calls(dir, "4242001")).isEqualTo(1);
        assertThat(s).map(JobStats::state).contains("RUNNING");
    }

    @Test
    void aJobAccountingDoesNotKnowGivesNoStatisticsAfterTheBoundedRetries() throws Exception {
        assertThat(sacct(3).statsFor(event("999", MailType.END))).isEmpty();
        assertThat(Fixtures.calls(dir, "999")).isEqualTo(3);
    }

    @Test
    void cancelledByUidIsAFinalState() throws Exception {
        JobStats s = sacct(5).statsFor(event("4242008", MailType.END)).orElseThrow();

        assertThat(s.state()).isEqualTo("CANCELLED by 51234");
        assertThat(s.baseState()).isEqualTo("CANCELLED");
        assertThat(s.finalState()).isTrue();
        assertThat(Fixtures.calls(dir, "4242008")).isEqualTo(1);
    }

    @Test
    void aFinalRowThatIsNotCompleteYetIsAskedAgainNotComposedFrom() throws Exception {
        // Slurm 22.05, seen on a real cluster right after a short job was killed for memory: the job row
        // is FAILED already but its request is still "16?" and its name "allocation", for about a second.
        String header = String.join("|", Sacct.FIELDS).toLowerCase(java.util.Locale.ROOT);
        String early = "7001|FAILED|0:9|debug|acct|node1|1|1|1|2|3|UNLIMITED|00:00:03|00:00.100|16?||||||allocation\n"
                + "7001.batch|FAILED|0:9||acct|node1|1|1|1|2|3||00:00:03|00:00.100||306M||||||batch\n";
        String later = early.replace("16?", "50M").replace("allocation", "memkill");
        Sacct s = sacct(1);

        JobStats incomplete = s.interpret(SacctTable.parse(Sacct.FIELDS, early), event("7001", MailType.FAIL))
                .orElseThrow();
        JobStats complete = s.interpret(SacctTable.parse(Sacct.FIELDS, later), event("7001", MailType.FAIL))
                .orElseThrow();

        assertThat(header).contains("reqmem");
        assertThat(incomplete.finalState()).as("ReqMem 16? is not a final row").isFalse();
        assertThat(complete.finalState()).isTrue();
        assertThat(complete.reqMem()).isEqualTo(50L << 20);
    }

    @Test
    void aPipeInTheJobNameShiftsNoOtherColumn() throws Exception {
        JobStats s = sacct(1).statsFor(event("4242050", MailType.END)).orElseThrow();

        assertThat(s.state()).isEqualTo("COMPLETED");
        assertThat(s.partition()).isEqualTo("compute");
        assertThat(s.timeLimit()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theGoslmailerFieldSetWithTheNameFirstAbsorbsThePipeThere() {
        List<String> fields = List.of("JobName", "User", "State");

        List<Map<String, String>> rows = SacctTable.parse(fields, "a|b|alice|COMPLETED\n");

        assertThat(rows).containsExactly(Map.of("jobname", "a|b", "user", "alice", "state", "COMPLETED"));
    }

    @Test
    void arrayRowsAreAttributedByJobIdNotByOrder() throws Exception {
        JobEvent task2 = new JobEvent(
                "4245002",
                "4245000",
                "2",
                false,
                5,
                null,
                null,
                "sweep",
                "alice",
                null,
                "hpc1",
                null,
                null,
                null,
                MailType.END,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "alice",
                List.of());

        JobStats s = sacct(1).statsFor(task2).orElseThrow();

        assertThat(s.jobId()).isEqualTo("4245000_2");
        assertThat(s.state()).isEqualTo("FAILED");
        assertThat(s.maxRss()).isEqualTo(1802222L * 1024);
    }

    @Test
    void anArraySummaryTalliesTheTasksByState() throws Exception {
        JobEvent summary = new JobEvent(
                "4245000",
                "4245000",
                "*",
                true,
                5,
                null,
                null,
                "sweep",
                "alice",
                null,
                "hpc1",
                null,
                null,
                null,
                MailType.BEGIN,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "alice",
                List.of());

        JobStats s = sacct(1).statsFor(summary).orElseThrow();

        assertThat(s.taskStates())
                .containsExactlyInAnyOrderEntriesOf(Map.of("COMPLETED", 2, "FAILED", 1, "PENDING", 2));
        assertThat(s.finalState()).isFalse();
    }

    @Test
    void aJobIdThatIsNotANumberNeverReachesTheCommandLine() throws Exception {
        assertThat(sacct(1).statsFor(event("1;rm -rf /", MailType.END))).isEmpty();
        assertThat(Fixtures.calls(dir, "1;rm -rf /")).isZero();
    }

    private Sacct withStepWait(Duration wait) throws Exception {
        return new Sacct(
                Fixtures.fakeSacct(dir),
                3,
                Duration.ofSeconds(2),
                Duration.ofSeconds(20),
                wait,
                ZoneOffset.UTC,
                slept::add);
    }

    @Test
    void aTimedOutJobsPeakMemoryIsWaitedForWhenItsStepsArriveAfterTheJobRow() throws Exception {
        // Seen on 22.05: the job row is TIMEOUT at once, the batch step (MaxRSS) seconds later.
        Fixtures.stepLag(dir, "4242007", 2);

        JobStats s = withStepWait(Duration.ofSeconds(10))
                .statsFor(event("4242007", MailType.FAIL))
                .orElseThrow();

        assertThat(s.state()).isEqualTo("TIMEOUT");
        assertThat(s.maxRss()).isEqualTo(2104312L * 1024);
        assertThat(Fixtures.calls(dir, "4242007")).isEqualTo(3);
        assertThat(slept).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void theWaitForStepsIsBoundedAndThenTheJobRowIsUsed() throws Exception {
        Fixtures.stepLag(dir, "4242008", 100);

        JobStats s = withStepWait(Duration.ofSeconds(5))
                .statsFor(event("4242008", MailType.END))
                .orElseThrow();

        assertThat(s.baseState()).isEqualTo("CANCELLED");
        assertThat(s.maxRss()).isNull();
        assertThat(slept).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(Fixtures.calls(dir, "4242008")).isEqualTo(4);
    }

    @Test
    void aBeginMailDoesNotWaitForSteps() throws Exception {
        Fixtures.stepLag(dir, "4242001", 100);

        withStepWait(Duration.ofSeconds(10)).statsFor(event("4242001", MailType.BEGIN));

        assertThat(Fixtures.calls(dir, "4242001")).isEqualTo(1);
        assertThat(slept).isEmpty();
    }

    private Path script(String body) throws Exception {
        Path p = dir.resolve("sacct-broken");
        java.nio.file.Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        java.nio.file.Files.setPosixFilePermissions(
                p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void whenSacctFailsEveryTimeTheLookupSaysWhy() throws Exception {
        // What 22.05's sacct prints when slurmdbd is down.
        Path broken = script("echo 'sacct: error: slurm_persist_conn_open_without_init: failed to open persistent "
                + "connection to host:localhost:6819: Connection refused' >&2; exit 1");
        Sacct sacct = new Sacct(
                broken, 2, Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ZERO, ZoneOffset.UTC, slept::add);

        StatsLookup lookup = sacct.lookup(event("4242001", MailType.END));

        assertThat(lookup)
                .isInstanceOfSatisfying(
                        StatsLookup.Unavailable.class,
                        u -> assertThat(u.reason())
                                .startsWith("sacct exited 1: sacct: error: slurm_persist_conn_open_without_init")
                                .hasSizeLessThan(140));
    }

    @Test
    void aSacctThatHangsIsKilledAndTheLookupSaysItDidNotAnswer() throws Exception {
        Path hanging = script("exec sleep 60");
        Sacct sacct =
                new Sacct(hanging, 1, Duration.ZERO, Duration.ofMillis(200), Duration.ZERO, ZoneOffset.UTC, slept::add);

        assertThat(sacct.lookup(event("4242001", MailType.END)))
                .isInstanceOfSatisfying(
                        StatsLookup.Unavailable.class,
                        u -> assertThat(u.reason()).contains("did not answer").contains("slurmdbd"));
    }

    @Test
    void aJobAccountingDoesNotKnowIsNotCalledUnavailable() throws Exception {
        assertThat(sacct(1).lookup(event("999", MailType.END))).isInstanceOf(StatsLookup.NotKnown.class);
    }

    /** One sacct -P line in Herald's field order. */
    private static String line(Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (String f : Sacct.FIELDS) {
            out.add(values.getOrDefault(f, ""));
        }
        return String.join("|", out);
    }

    private Optional<JobStats> interpret(JobEvent e, String... lines) throws Exception {
        return sacct(1).interpret(SacctTable.parse(Sacct.FIELDS, String.join("\n", lines)), e);
    }

    @Test
    void gpuAllocationAndUsageComeFromAllocTresAndTheStepsTresUsage() throws Exception {
        JobStats s = interpret(
                        event("4300010", MailType.END),
                        line(Map.of(
                                "JobID",
                                "4300010",
                                "State",
                                "COMPLETED",
                                "NCPUS",
                                "4",
                                "Timelimit",
                                "01:00:00",
                                "AllocTRES",
                                "billing=4,cpu=4,gres/gpu=2,mem=16G,node=1",
                                "JobName",
                                "train")),
                        line(Map.of(
                                "JobID",
                                "4300010.batch",
                                "State",
                                "COMPLETED",
                                "MaxRSS",
                                "812344K",
                                "TRESUsageInMax",
                                "cpu=00:10:00,gres/gpumem=210M,gres/gpuutil=3,mem=812344K",
                                "TRESUsageInTot",
                                "cpu=00:20:00,gres/gpumem=210M,gres/gpuutil=3,mem=812344K",
                                "JobName",
                                "batch")),
                        line(Map.of(
                                "JobID",
                                "4300010.0",
                                "State",
                                "COMPLETED",
                                "MaxRSS",
                                "1000K",
                                "TRESUsageInMax",
                                "gres/gpuutil=2",
                                "JobName",
                                "python")))
                .orElseThrow();

        assertThat(s.allocTres()).containsEntry("gres/gpu", "2").containsEntry("mem", "16G");
        assertThat(s.tresUsageMax()).containsEntry("gres/gpuutil", "3").containsEntry("gres/gpumem", "210M");
        assertThat(s.tresUsageTot()).containsEntry("cpu", "00:20:00");
    }

    @Test
    void unlimitedAndPartitionTimeLimitsAreNoLimitOfTheJobsOwn() throws Exception {
        for (String limit : List.of("UNLIMITED", "Partition_Limit")) {
            JobStats s = interpret(
                            event("4300011", MailType.END),
                            line(Map.of(
                                    "JobID",
                                    "4300011",
                                    "State",
                                    "COMPLETED",
                                    "Timelimit",
                                    limit,
                                    "Elapsed",
                                    "00:00:10",
                                    "JobName",
                                    "x")))
                    .orElseThrow();
            assertThat(s.timeLimit()).as(limit).isNull();
        }
    }

    @Test
    void anArraySummaryKeepsEachTasksStateAndExitCode() throws Exception {
        JobEvent summary = new JobEvent(
                "4300100",
                "4300100",
                "*",
                true,
                4,
                null,
                null,
                "sweep",
                "alice",
                null,
                "hpc1",
                null,
                null,
                null,
                MailType.END,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "alice",
                List.of());

        JobStats s = interpret(
                        summary,
                        line(Map.of("JobID", "4300100_1", "State", "COMPLETED", "ExitCode", "0:0", "JobName", "sweep")),
                        line(Map.of(
                                "JobID",
                                "4300100_1.batch",
                                "State",
                                "COMPLETED",
                                "ExitCode",
                                "0:0",
                                "JobName",
                                "batch")),
                        line(Map.of("JobID", "4300100_2", "State", "FAILED", "ExitCode", "3:0", "JobName", "sweep")),
                        line(Map.of("JobID", "4300100_3", "State", "TIMEOUT", "ExitCode", "0:0", "JobName", "sweep")),
                        line(Map.of("JobID", "4300100_4", "State", "FAILED", "ExitCode", "0:9", "JobName", "sweep")))
                .orElseThrow();

        assertThat(s.tasks())
                .containsExactly(
                        new JobStats.TaskOutcome("1", 1, "COMPLETED", "0:0"),
                        new JobStats.TaskOutcome("2", 1, "FAILED", "3:0"),
                        new JobStats.TaskOutcome("3", 1, "TIMEOUT", "0:0"),
                        new JobStats.TaskOutcome("4", 1, "FAILED", "0:9"));
    }
}
