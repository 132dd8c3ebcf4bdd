package io.herald.mailprog.slurm;

import io.herald.mailprog.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** sacct against a fake that replays shared/slurm/sacct_samples.txt. */
class SacctTest {

    @TempDir
    Path dir;

    private final List<Duration> slept = new ArrayList<>();

    private Sacct sacct(int attempts) throws Exception {
        return new Sacct(Fixtures.fakeSacct(dir), attempts, Duration.ofSeconds(2), Duration.ofSeconds(20), ZoneOffset.UTC, slept::add);
    }

    private static JobEvent event(String jobId, MailType type) {
        return new JobEvent(jobId, null, null, false, null, null, null, "x", "alice", null, "hpc1", null, null, null,
                type, null, null, null, null, false, null, null, null, null, null, null, null, null, null, null, null,
                "alice", List.of());
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
        JobEvent task2 = new JobEvent("4245002", "4245000", "2", false, 5, null, null, "sweep", "alice", null, "hpc1", null,
                null, null, MailType.END, null, null, null, null, false, null, null, null, null, null, null, null, null,
                null, null, null, "alice", List.of());

        JobStats s = sacct(1).statsFor(task2).orElseThrow();

        assertThat(s.jobId()).isEqualTo("4245000_2");
        assertThat(s.state()).isEqualTo("FAILED");
        assertThat(s.maxRss()).isEqualTo(1802222L * 1024);
    }

    @Test
    void anArraySummaryTalliesTheTasksByState() throws Exception {
        JobEvent summary = new JobEvent("4245000", "4245000", "*", true, 5, null, null, "sweep", "alice", null, "hpc1", null,
                null, null, MailType.BEGIN, null, null, null, null, false, null, null, null, null, null, null, null, null,
                null, null, null, "alice", List.of());

        JobStats s = sacct(1).statsFor(summary).orElseThrow();

        assertThat(s.taskStates()).containsExactlyInAnyOrderEntriesOf(Map.of("COMPLETED", 2, "FAILED", 1, "PENDING", 2));
        assertThat(s.finalState()).isFalse();
    }

    @Test
    void aJobIdThatIsNotANumberNeverReachesTheCommandLine() throws Exception {
        assertThat(sacct(1).statsFor(event("1;rm -rf /", MailType.END))).isEmpty();
        assertThat(Fixtures.calls(dir, "1;rm -rf /")).isZero();
    }
}
