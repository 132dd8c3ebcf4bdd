package io.herald.mailprog.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.MailprogConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Fact;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.slurm.JobEvent;
import io.herald.mailprog.slurm.JobEventParser;
import io.herald.mailprog.slurm.JobStats;
import io.herald.mailprog.slurm.MailType;
import io.herald.mailprog.slurm.Sacct;
import io.herald.mailprog.slurm.StatsLookup;
import io.herald.mailprog.spool.SpoolRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a job notification says, per mail type, with statistics from the fake sacct. */
class MessageComposerTest {

    @TempDir
    Path dir;

    private static final Map<String, Duration> QOS =
            Map.of("short", Duration.ofHours(4), "normal", Duration.ofDays(1), "long", Duration.ofDays(7));

    private static JobEvent event(String caseId) {
        Fixtures.Case c = Fixtures.caseNamed(caseId);
        List<byte[]> argv = new ArrayList<>();
        c.argv().forEach(a -> argv.add(a.getBytes(StandardCharsets.UTF_8)));
        List<byte[]> env = new ArrayList<>();
        c.envEntries().forEach(e -> env.add(e.getBytes(StandardCharsets.UTF_8)));
        return new JobEventParser().parse(new SpoolRecord(caseId, argv, env, 0, Instant.EPOCH));
    }

    private Optional<JobStats> stats(JobEvent e) throws Exception {
        return new Sacct(
                        Fixtures.fakeSacct(dir),
                        1,
                        Duration.ZERO,
                        Duration.ofSeconds(20),
                        Duration.ZERO,
                        ZoneOffset.UTC,
                        d -> {})
                .statsFor(e);
    }

    private Content compose(String caseId, MailprogConfig.Templates templates) throws Exception {
        JobEvent e = event(caseId);
        MessageComposer composer =
                new MessageComposer(new Hints(MailprogConfig.defaults().hints(), QOS), templates);
        return composer.compose(e, stats(e), List.of()).content();
    }

    private Content compose(String caseId) throws Exception {
        return compose(caseId, new MailprogConfig.Templates("", ""));
    }

    private static String fact(Content c, String label) {
        return c.facts().stream()
                .filter(f -> f.label().equals(label))
                .map(Fact::value)
                .findFirst()
                .orElse(null);
    }

    @Test
    void anEndedJobSaysStateAndExitInTheTitleAndUsageAgainstRequestInTheFacts() throws Exception {
        Content c = compose("end-completed");

        assertThat(c.title()).isEqualTo("Job 4242001 (train_model) ended: COMPLETED, exit 0");
        assertThat(fact(c, "Cluster")).isEqualTo("hpc1");
        assertThat(fact(c, "Partition")).isEqualTo("compute");
        assertThat(fact(c, "Run time")).isEqualTo("02:34:27 of 1-00:00:00 limit");
        assertThat(fact(c, "CPU efficiency")).startsWith("87%");
        assertThat(fact(c, "Memory")).isEqualTo("12.7 GiB peak of 32.0 GiB requested (40%)");
        assertThat(fact(c, "Stdout")).isEqualTo("/home/alice/projects/run42/logs/train_model-4242001.out");
        assertThat(fact(c, "Exit code")).isEqualTo("0");
    }

    @Test
    void factsAndHintsTravelOnceAsStructuredPartsNotAgainInTheText() throws Exception {
        // Every channel renders facts and hints next to the text: in the text too, every email showed them twice.
        Content c = compose("end-completed");

        assertThat(c.facts()).isNotEmpty();
        assertThat(c.hints()).isNotEmpty();
        assertThat(c.text()).isEqualTo(c.title());
        for (Fact f : c.facts()) {
            assertThat(c.text()).doesNotContain(f.label() + ": " + f.value());
        }
        c.hints().forEach(h -> assertThat(c.text()).doesNotContain(h));
    }

    @Test
    void aTextTemplateThatPlacesTheFactsAndHintsKeepsThemOnlyThere() throws Exception {
        Content c = compose("end-completed", new MailprogConfig.Templates("", "{name}\n{facts}\n{hints}"));

        assertThat(c.text()).contains("Cluster: hpc1", "Memory: the job used at most");
        assertThat(c.facts()).isEmpty();
        assertThat(c.hints()).isEmpty();
    }

    @Test
    void overRequestedMemoryAndWalltimeGetHintsWithAQosSuggestion() throws Exception {
        Content c = compose("end-completed");

        assertThat(c.hints()).hasSize(2);
        assertThat(c.hints().get(0))
                .startsWith("Memory: the job used at most 12.7 GiB of the 32.0 GiB")
                .contains("--mem=16G");
        assertThat(c.hints().get(1))
                .startsWith("Time: the job ran 02:34:27 of its 1-00:00:00 limit")
                .contains("--time")
                .contains("QOS short (up to 04:00:00) would fit");
    }

    @Test
    void anOutOfMemoryFailureGetsOnlyTheMemoryHint() throws Exception {
        Content c = compose("fail-oom");

        assertThat(c.title()).isEqualTo("Job 4242006 (assemble_genome) failed: OUT_OF_MEMORY");
        assertThat(c.hints())
                .singleElement()
                .asString()
                .startsWith("The job ran out of memory (it reached 128 GiB of the 128 GiB requested)");
    }

    @Test
    void aTimeoutGetsTheTimeLimitHint() throws Exception {
        Content c = compose("fail-timeout");

        assertThat(c.title()).isEqualTo("Job 4242007 (md_sim) failed: TIMEOUT, exit 0");
        assertThat(c.hints()).singleElement().asString().contains("time limit of 04:00:00");
        assertThat(fact(c, "Nodes")).isEqualTo("cn[101-102] (2 nodes)");
    }

    @Test
    void aSignalledJobNamesTheSignalInsteadOfAnExitCode() throws Exception {
        assertThat(compose("fail-signaled").title())
                .isEqualTo("Job 4242010 (segv_test) failed: FAILED, killed by signal 11 (SIGSEGV)");
    }

    @Test
    void eachMailTypeHasItsOwnWording() throws Exception {
        assertThat(compose("begin-simple").title())
                .isEqualTo("Job 4242001 (train_model) began after 00:01:03 in the queue");
        assertThat(compose("requeue-node-fail").title()).isEqualTo("Job 4242012 (long_run) was requeued (NODE_FAIL)");
        assertThat(compose("time-limit-80").title()).isEqualTo("Job 4242013 (bench) reached 80% of its time limit");
        assertThat(compose("time-limit-100").title()).isEqualTo("Job 4242013 (bench) reached its time limit");
        assertThat(compose("invalid-depend").title())
                .isEqualTo("Job 4242018 (after_fail) cannot start: a dependency can never be satisfied");
        assertThat(compose("end-cancelled-running").title()).isEqualTo("Job 4242008 (scan) ended: CANCELLED, exit 0");
    }

    @Test
    void arrayTasksAndSummariesSayWhichPartOfTheArray() throws Exception {
        Content task = compose("array-task-end");
        assertThat(task.title()).isEqualTo("Job 4243300_7 (sweep) ended: COMPLETED, exit 0");
        assertThat(fact(task, "Array")).isEqualTo("task 7 of 10");
        assertThat(fact(task, "Stdout")).isEqualTo("/home/alice/sweep/out/4243300_7.out");

        Content summary = compose("array-fail-summary-mixed");
        assertThat(summary.title())
                .isEqualTo("Array job 4243100 (sweep_b, 10 tasks) failed: Mixed, exit codes 0-3, some tasks requeued");
        assertThat(fact(summary, "Exit codes")).isEqualTo("0-3");

        assertThat(compose("array-end-summary-ok").title())
                .isEqualTo("Array job 4243000 (sweep, 10 tasks) ended: COMPLETED, exit 0");
    }

    @Test
    void aMissingStdoutFallsBackToSlurmsDefaultInTheWorkDir() throws Exception {
        assertThat(fact(compose("v23.02-no-stdout"), "Stdout"))
                .isEqualTo("/home/alice/projects/run42/slurm-4242042.out");
        assertThat(fact(compose("v25.11-default-stdout"), "Stdout"))
                .isEqualTo("/home/alice/projects/run42/slurm-4242041.out");
    }

    @Test
    void theSubjectAloneGivesAUsefulMessageForSlurmBefore2108() throws Exception {
        Content c = compose("v20.11-cluster-only");

        assertThat(c.title()).isEqualTo("Job 4242044 (train_model) ended: COMPLETED, exit 0");
        assertThat(fact(c, "Cluster")).isEqualTo("hpc1");
        assertThat(fact(c, "Run time")).isEqualTo("02:34:27");
    }

    @Test
    void unicodeAndQuotesInTheNameArriveUnchanged() throws Exception {
        assertThat(compose("name-quotes-unicode").title())
                .isEqualTo("Job 4242031 (run \"α=0.5\" 'β' – café 🚀) ended: COMPLETED, exit 0");
    }

    @Test
    void adminTemplatesReplaceTitleAndText() throws Exception {
        Content c = compose(
                "fail-exit1",
                new MailprogConfig.Templates(
                        "[{cluster}] {jobId} {mailType}: {state}", "{name} on {partition}\n{facts}"));

        assertThat(c.title()).isEqualTo("[hpc1] 4242004 Failed: FAILED");
        assertThat(c.text()).startsWith("preprocess.sh on compute\nCluster: hpc1\n");
        assertThat(c.facts()).as("the template shows them").isEmpty();
    }

    private static JobEvent withEnv(String caseId, Map<String, String> changes) {
        Fixtures.Case c = Fixtures.caseNamed(caseId);
        Map<String, String> env = new java.util.LinkedHashMap<>(c.env());
        env.putAll(changes);
        List<byte[]> argv = new ArrayList<>();
        c.argv().forEach(a -> argv.add(a.getBytes(StandardCharsets.UTF_8)));
        List<byte[]> entries = new ArrayList<>();
        env.forEach((k, v) -> entries.add((k + "=" + v).getBytes(StandardCharsets.UTF_8)));
        return new JobEventParser().parse(new SpoolRecord(caseId, argv, entries, 0, Instant.EPOCH));
    }

    private static MessageComposer plain() {
        return new MessageComposer(
                new Hints(MailprogConfig.defaults().hints(), Map.of()), new MailprogConfig.Templates("", ""));
    }

    @Test
    void aBeginMailTakesTheCpusFromSlurmWhileSacctStillShowsPendingWithNone() {
        // Seen: at BEGIN, sacct answered PENDING|0 and the mail said "CPUs: 0".
        JobEvent e = withEnv("begin-simple", Map.of("SLURM_JOB_CPUS_PER_NODE", "32(x2)", "SLURM_JOB_NUM_NODES", "2"));
        Content c = plain().compose(
                        e, Optional.of(StatsFixture.finished().pending().stats()), List.of())
                .content();

        assertThat(fact(c, "CPUs")).isEqualTo("64");
        JobEvent mixed = withEnv("begin-simple", Map.of("SLURM_JOB_CPUS_PER_NODE", "4,2(x3)"));
        assertThat(fact(plain().compose(mixed, Optional.empty(), List.of()).content(), "CPUs"))
                .isEqualTo("10");
        // Slurm 22.05 may not pass it: then no CPU count rather than a wrong one.
        JobEvent without = withEnv("begin-simple", Map.of("SLURM_JOB_CPUS_PER_NODE", ""));
        Content unknown = plain().compose(
                        without, Optional.of(StatsFixture.finished().pending().stats()), List.of())
                .content();
        assertThat(fact(unknown, "CPUs")).isNull();
    }

    @Test
    void onceSacctIsFinalItsCpuCountIsUsed() {
        JobEvent e = withEnv("end-completed", Map.of("SLURM_JOB_CPUS_PER_NODE", "4"));
        Content c = plain().compose(
                        e,
                        Optional.of(StatsFixture.finished()
                                .time(Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMinutes(9), 6)
                                .stats()),
                        List.of())
                .content();

        assertThat(fact(c, "CPUs")).isEqualTo("6");
    }

    @Test
    void whenSacctNeverAnsweredTheMessageSaysStatisticsAreUnavailableAndWhy() {
        JobEvent e = event("end-completed");
        Content c = plain().compose(
                        e, new StatsLookup.Unavailable("sacct exited 1: Connection refused"), List.of(), List.of())
                .content();

        assertThat(fact(c, "Job statistics")).isEqualTo("unavailable: sacct exited 1: Connection refused");
        Content none = plain().compose(e, new StatsLookup.NotAsked(), List.of(), List.of())
                .content();
        assertThat(fact(none, "Job statistics"))
                .as("a site without sacct is not told anything failed")
                .isNull();
    }

    @Test
    void gpusAndOtherTresAreShownWithTheirUseWhenAccountingHasIt() {
        JobStats s = StatsFixture.finished()
                .tres(
                        java.util.Map.of(
                                "billing",
                                "4",
                                "cpu",
                                "4",
                                "gres/gpu",
                                "2",
                                "gres/gpu:a100",
                                "2",
                                "license/matlab",
                                "1"),
                        java.util.Map.of("gres/gpuutil", "3", "gres/gpumem", "210M"))
                .stats();

        Content c = plain().compose(event("end-completed"), Optional.of(s), List.of())
                .content();

        assertThat(fact(c, "GPUs")).isEqualTo("2 (2 × a100)");
        assertThat(fact(c, "Other TRES")).isEqualTo("license/matlab=1");
        assertThat(fact(c, "GPU use")).isEqualTo("utilisation peaked at 3%, GPU memory peaked at 210 MiB");
        Content noGpu = plain().compose(
                        event("end-completed"),
                        Optional.of(StatsFixture.finished().stats()),
                        List.of())
                .content();
        assertThat(fact(noGpu, "GPUs")).isNull();
        assertThat(fact(noGpu, "GPU use")).isNull();
    }

    @Test
    void timeLimitWarningsFoldedTogetherSayWhichAndWhy() {
        Content c = plain().compose(
                        event("time-limit-100"),
                        new StatsLookup.NotAsked(),
                        List.of(),
                        List.of(MailType.TIME_LIMIT_50, MailType.TIME_LIMIT_80))
                .content();

        assertThat(c.title()).isEqualTo("Job 4242013 (bench) reached its time limit");
        assertThat(fact(c, "Warnings")).isEqualTo("50%, 80%, 100% of the time limit");
        assertThat(c.text()).contains("every 30 seconds");
    }

    @Test
    void receiversThatWereNotUsedAreMentionedToThoseThatWere() {
        JobEvent e = event("end-completed");
        MessageComposer composer = new MessageComposer(
                new Hints(MailprogConfig.defaults().hints(), Map.of()), new MailprogConfig.Templates("", ""));

        Content c = composer.compose(e, Optional.empty(), List.of("item 2 'telegram:x': not a Telegram chat id"))
                .content();

        assertThat(c.text()).endsWith("Not sent to: item 2 'telegram:x': not a Telegram chat id");
    }
}
