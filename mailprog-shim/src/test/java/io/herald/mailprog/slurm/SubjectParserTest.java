package io.herald.mailprog.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.mailprog.Fixtures;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubjectParserTest {

    @Test
    void everyFixtureSubjectYieldsTheEnvironmentsNameAndTheExpectedMailType() {
        for (Fixtures.Case c : Fixtures.cases()) {
            String subject = c.argv().get(2);
            ParsedSubject s =
                    SubjectParser.parse(subject, Optional.empty()).orElseThrow(() -> new AssertionError(c.id()));
            assertThat(s.mailType().name())
                    .as(c.id())
                    .isEqualTo(c.expect().path("mail_type_flag").asText());
            String envName = c.env().get("SLURM_JOB_NAME");
            if (envName != null && !envName.isEmpty()) {
                assertThat(s.name()).as(c.id()).isEqualTo(envName);
            }
            assertThat(s.jobId())
                    .as(c.id())
                    .isEqualTo(
                            c.expect().path("slurm_mail_spool").path("job_id").asText(s.jobId()));
        }
    }

    @Test
    void aFakeEndedSuffixInsideTheNameDoesNotMisleadTheParse() {
        String subject =
                "Slurm Job_id=77 Name=x Ended, Run time 00:00:01, COMPLETED, ExitCode 0 Began, Queued time 00:00:05";

        ParsedSubject s = SubjectParser.parse(subject, Optional.empty()).orElseThrow();

        assertThat(s.name()).isEqualTo("x Ended, Run time 00:00:01, COMPLETED, ExitCode 0");
        assertThat(s.mailType()).isEqualTo(MailType.BEGIN);
        assertThat(s.time()).isEqualTo("00:00:05");
        assertThat(s.state()).isNull();
    }

    @Test
    void aNameWithCommasPipesQuotesAndTheWordArrayIsKeptWhole() {
        String name = "Array Summary, \"q\" | 'x' $(rm -rf /) Failed";
        String subject = "Slurm Job_id=78 Name=" + name + " Failed, Run time 1-02:03:04, TIMEOUT, ExitCode 0";

        ParsedSubject s = SubjectParser.parse(subject, Optional.empty()).orElseThrow();

        assertThat(s.name()).isEqualTo(name);
        assertThat(s.arraySummary()).isFalse();
        assertThat(s.mailType()).isEqualTo(MailType.FAIL);
        assertThat(s.state()).isEqualTo("TIMEOUT");
        assertThat(s.exitCode()).isZero();
        assertThat(s.time()).isEqualTo("1-02:03:04");
    }

    @Test
    void theEnvironmentsNameIsPreferredWhenTheSubjectCarriesIt() {
        // A name ending in what looks like a mail word: only the known name settles where it ends.
        String subject = "Slurm Job_id=79 Name=run Ended Ended, Run time 00:00:02, COMPLETED, ExitCode 0";

        ParsedSubject s = SubjectParser.parse(subject, Optional.of("run Ended")).orElseThrow();

        assertThat(s.name()).isEqualTo("run Ended");
        assertThat(s.state()).isEqualTo("COMPLETED");
    }

    @Test
    void timeLimitSubjectsAreNotReadAsANameEndingInReachedOfTime() {
        ParsedSubject s = SubjectParser.parse(
                        "Slurm Job_id=4242013 Name=bench Reached 50% of time limit, Run time 00:30:17",
                        Optional.empty())
                .orElseThrow();

        assertThat(s.name()).isEqualTo("bench");
        assertThat(s.mailType()).isEqualTo(MailType.TIME_LIMIT_50);
        assertThat(s.time()).isEqualTo("00:30:17");
    }

    @Test
    void anArraySummaryWithMixedExitCodesAndRequeuedTasksIsReadCompletely() {
        ParsedSubject s = SubjectParser.parse(
                        "Slurm Array Summary Job_id=4243100_* (4243100) Name=sweep_b Failed, Mixed, "
                                + "ExitCode [0-3], with requeued tasks",
                        Optional.empty())
                .orElseThrow();

        assertThat(s.arraySummary()).isTrue();
        assertThat(s.arrayJobId()).isEqualTo("4243100");
        assertThat(s.name()).isEqualTo("sweep_b");
        assertThat(s.state()).isEqualTo("Mixed");
        assertThat(s.exitCodeRange()).isEqualTo("0-3");
        assertThat(s.requeuedTasks()).isTrue();
    }

    @Test
    void theUpperCasePrefixOfSlurm17IsAccepted() {
        assertThat(SubjectParser.parse(
                        "SLURM Job_id=5 Name=old Ended, Run time 00:00:01, COMPLETED, ExitCode 0", Optional.empty()))
                .map(ParsedSubject::name)
                .contains("old");
    }

    @Test
    void aStageOutSubjectEndingInABareTimeIsRead() {
        assertThat(SubjectParser.parse("Slurm Job_id=6 Name=bb StageOut/Teardown time ", Optional.empty()))
                .map(ParsedSubject::mailType)
                .contains(MailType.STAGE_OUT);
    }

    @Test
    void somethingThatIsNotASlurmSubjectIsRefused() {
        assertThat(SubjectParser.parse("Hello Job_id=5 Name=x Ended", Optional.empty()))
                .isEmpty();
        assertThat(SubjectParser.parse("Slurm Job_id=5 Name=x Exploded", Optional.empty()))
                .isEmpty();
    }
}
