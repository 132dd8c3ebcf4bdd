package io.herald.slurme2e;

import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.provider.outbox.OutboxProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.data.Offset;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Herald on a real Slurm 22.05 (Debian's packages): one node on 127.0.0.1, Herald installed from its .deb (this
 * reactor's packaging module) as docs/slurm.md says, MailProg = the package's /usr/bin/herald-mailprog, the forwarder
 * running as {@code herald} as its shipped unit runs it, real jobs from an unprivileged user, and every message that
 * reaches Herald's queue held against what {@code sacct -j ID} says. The package is purged at the end, also after a
 * failure.
 *
 * <p>Nothing here is mocked: the daemons, sbatch, MailProg, sacct and SQS (ElasticMQ through the real AWS SDK) are the
 * real ones. Envelopes are read straight from SQS: they are what the pipeline delivers, one per receiver. Assertions
 * are soft, so one run lists every difference from what the issue asks.
 */
class RealSlurmClusterTest {

    private static final String JOB_USER = "herald-e2e-user";
    private static final String QUEUE = "herald-slurm-e2e";
    private static final Pattern SIZE = Pattern.compile("^([0-9.]+) (B|KiB|MiB|GiB|TiB)\\b");
    private static final Pattern MEM_SUGGESTION = Pattern.compile("--mem=([0-9.]+)([KMGT]?)");

    /** A job this test submitted: what it is for, its id, and its sbatch options. */
    private record Job(String label, String id, List<String> options) {
        boolean hasTimeLimit() {
            return options.stream().anyMatch(o -> o.startsWith("--time"));
        }
    }

    @Test
    void realJobsGetMessagesThatAgreeWithSacct() throws Exception {
        Optional<String> whyNot = SlurmPackages.whyNot();
        if (whyNot.isPresent()) {
            Progress.say("real Slurm test skipped: " + whyNot.get());
        }
        Assumptions.assumeTrue(whyNot.isEmpty(), () -> "real Slurm test skipped: " + whyNot.get());
        Optional<String> packageInTheWay = HeraldInstallation.whyNot();
        packageInTheWay.ifPresent(why -> Progress.say("real Slurm test skipped: " + why));
        Assumptions.assumeTrue(packageInTheWay.isEmpty(), () -> "real Slurm test skipped: " + packageInTheWay.get());
        Path deb = HeraldInstallation.debFromBuild();

        Instant started = Instant.now();
        // Slurm's packages first: the slurm user must exist when Herald's package makes the spool (docs/slurm.md).
        SlurmPackages.ensureInstalled();
        Progress.say("packages: " + SlurmPackages.versions());
        if (!HostCommand.of("id", JOB_USER).run().ok()) {
            HostCommand.of("useradd", "--create-home", "--shell", "/bin/sh", JOB_USER)
                    .run()
                    .stdoutOrThrow();
        }
        Path root = Files.createTempDirectory("herald-slurm-e2e-");
        LocalSlurmCluster.setMode(root, "rwxr-xr-x");
        Progress.say("working in " + root);

        SoftAssertions softly = new SoftAssertions();
        EmbeddedSqs sqsServer = EmbeddedSqs.start(0);
        HeraldConfig.Sqs sqsConfig = new HeraldConfig.Sqs(
                sqsServer.endpoint().toString(), "us-east-1", List.of(QUEUE), "-dlq", 5, Duration.ofSeconds(30), 10);
        SqsClient sqs = SqsClients.create(sqsConfig);
        // Users' preferences, chat links and recent jobs (issue 19): a status table the installed services reach.
        EmbeddedDynamoDb dynamoServer = EmbeddedDynamoDb.start(0);
        DynamoDbClient dynamo = DynamoDbClients.create(new HeraldConfig.Status(
                dynamoServer.endpoint().toString(), "us-east-1", HeraldInstallation.STATUS_TABLE, Duration.ofDays(1)));
        PreferencesScenario preferences = PreferencesScenario.start(JOB_USER);
        HeraldInstallation herald = null;
        LocalSlurmCluster cluster = null;
        Thread cleanup = null;
        boolean passed = false;
        try {
            SqsQueues.provision(sqs, sqsConfig);
            StatusTable.createIfMissing(dynamo, HeraldInstallation.STATUS_TABLE);
            QueueMailbox mailbox = new QueueMailbox(sqs, QUEUE);
            // A surefire fork that is killed still stops the daemons, by their PIDs, and purges the package.
            AtomicReference<HeraldInstallation> installed = new AtomicReference<>();
            AtomicReference<LocalSlurmCluster> running = new AtomicReference<>();
            // The package goes last: slurmctld, which runs its MailProg, is stopped before it is purged.
            cleanup = new Thread(() -> {
                Optional.ofNullable(running.get()).ifPresent(LocalSlurmCluster::close);
                Optional.ofNullable(installed.get()).ifPresent(HeraldInstallation::close);
            });
            Runtime.getRuntime().addShutdownHook(cleanup);
            herald = HeraldInstallation.install(
                    deb, sqsServer.endpoint(), QUEUE, dynamoServer.endpoint(), preferences.telegramUrl());
            installed.set(herald);
            cluster = LocalSlurmCluster.start(root.resolve("slurm"), herald.shim(), List.of(JOB_USER));
            running.set(cluster);

            startForwarder(softly, herald, cluster, root);
            Path prefsWork = Files.createDirectories(root.resolve("jobs-prefs"));
            LocalSlurmCluster.chown(JOB_USER + ":" + JOB_USER, prefsWork);
            Instant prefsStarted = Instant.now();
            preferences.link(softly, herald, cluster, prefsWork, mailbox, dynamo);
            preferences.submitDuringQuietHours(cluster, prefsWork, dynamo);
            preferences.checkJobsListsTheFail(softly, mailbox);
            Duration prefsSetup = Duration.between(prefsStarted, Instant.now());
            List<Job> jobs = submitAndDrive(cluster, mailbox, root);
            Map<String, SacctRows> sacct = awaitSettled(cluster, jobs);
            Map<String, List<String>> expected = expectedMail(jobs);
            awaitExpected(mailbox, expected);
            checkEveryMessage(softly, mailbox, jobs, sacct, expected, new OutboxProvider(root.resolve("outbox")));
            Instant prefsChecked = Instant.now();
            preferences.check(softly, mailbox, dynamo);
            Progress.say("issue 19's part (link, quiet hours, FAIL, /jobs): " + prefsSetup.toSeconds() + " s before the"
                    + " other jobs, "
                    + Duration.between(prefsChecked, Instant.now()).toSeconds() + " s after them");
            checkSpool(softly, herald);
            Progress.say(
                    "finished in " + Duration.between(started, Instant.now()).toSeconds() + " s (install included)");
            softly.assertAll();
            passed = true;
        } finally {
            if (!passed && cluster != null) {
                cluster.dumpLogs();
                if (herald != null) {
                    System.out.println("----- herald forwarder output -----\n"
                            + Daemon.tail(root.resolve("slurm/log/herald-forwarder.out"), 60));
                    System.out.println("----- herald telegram bot output -----\n"
                            + Daemon.tail(root.resolve("slurm/log/herald-telegram-bot.out"), 30));
                }
            }
            if (!passed && herald != null) {
                herald.copySpoolTo(root.resolve("herald-spool"));
            }
            if (cluster != null) {
                cluster.close();
            }
            if (herald != null) {
                herald.close();
            }
            if (cleanup != null) {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
            sqs.close();
            sqsServer.close();
            preferences.close();
            dynamo.close();
            dynamoServer.close();
            if (passed) {
                HostCommand.of("rm", "-rf", root.toString()).run();
            } else {
                Progress.say("kept " + root + " for a look (logs in slurm/log)");
            }
        }
    }

    /** docs/slurm.md steps 1 and 3: the spool as the package made it, then the forwarder as its unit runs it. */
    private static void startForwarder(
            SoftAssertions softly, HeraldInstallation herald, LocalSlurmCluster cluster, Path root) throws IOException {
        List<String> problems = herald.spoolProblems();
        softly.assertThat(problems)
                .as("the package leaves the spool writable by SlurmUser and removable by herald" + " (issue 12 part 2)")
                .isEmpty();
        if (!problems.isEmpty()) {
            // Go on with the spool as docs/slurm.md describes it, so the rest of the run still checks the mails.
            Progress.say("spool not usable as the package left it (" + String.join("; ", problems) + "); set by hand");
            herald.repairSpool();
        }
        herald.startForwarder(cluster.clientEnv(), root.resolve("slurm/log"));
        Path out = root.resolve("slurm/log/herald-forwarder.out");
        Awaitility.await("the forwarder watching the spool")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .failFast("the forwarder exited", () -> !herald.forwarder().alive())
                .until(() -> Files.exists(out)
                        && Files.readString(out).toLowerCase(Locale.ROOT).contains("watching"));
        Progress.say("forwarder running as " + HeraldInstallation.USER);
    }

    private static Job submit(LocalSlurmCluster cluster, Path workDir, String label, String... options) {
        List<String> argv = new ArrayList<>(
                List.of("sbatch", "--parsable", "--job-name=" + label, "--output=" + workDir.resolve("%x-%j.out")));
        argv.addAll(List.of(options));
        String out = cluster.slurmAs(JOB_USER, workDir, argv).stdoutOrThrow().strip();
        String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
        Progress.say("submitted " + label + " as job " + id + ": " + String.join(" ", options));
        return new Job(label, id, List.of(options));
    }

    /** Submits every job (the slow TIMEOUT one first), then cancels and requeues the ones that need it. */
    private static List<Job> submitAndDrive(LocalSlurmCluster cluster, QueueMailbox mailbox, Path root)
            throws IOException {
        Path work = Files.createDirectories(root.resolve("jobs"));
        LocalSlurmCluster.chown(JOB_USER + ":" + JOB_USER, work);
        List<Job> jobs = new ArrayList<>();
        jobs.add(submit(
                cluster,
                work,
                "timeout",
                "--time=1",
                "--mail-type=ALL",
                "--mail-user=mailto:timeout@example.org",
                "--wrap",
                "sleep 300"));
        Job requeue = submit(
                cluster,
                work,
                "requeue",
                "--requeue",
                "--mail-type=ALL",
                "--mail-user=requeue@example.org",
                "--wrap",
                "sleep 300");
        jobs.add(requeue);
        Job running = submit(
                cluster,
                work,
                "cancel-running",
                "--mail-type=ALL",
                "--mail-user=mailto:running@example.org",
                "--wrap",
                "sleep 300");
        jobs.add(running);
        // tail holds everything it reads until EOF, which comes only after the sleep: 300M against --mem=50M.
        jobs.add(submit(
                cluster,
                work,
                "memkill",
                "--mem=50M",
                "--mail-type=ALL",
                "--mail-user=mailto:memkill@example.org",
                "--wrap",
                "(head -c 300M /dev/zero; sleep 60) | tail >/dev/null"));
        jobs.add(submit(
                cluster, work, "ok", "--mail-type=ALL", "--mail-user=mailto:ok@example.org", "--wrap", "sleep 3"));
        jobs.add(submit(
                cluster, work, "fail3", "--mail-type=END,FAIL", "--mail-user=fail@example.org", "--wrap", "exit 3"));
        jobs.add(submit(
                cluster,
                work,
                "array",
                "--array=1-3",
                "--mail-type=END,FAIL",
                "--mail-user=mailto:array@example.org",
                "--wrap",
                "sleep 2; [ \"$SLURM_ARRAY_TASK_ID\" != 2 ] || exit 4"));
        jobs.add(submit(
                cluster,
                work,
                "array-tasks",
                "--array=1-3",
                "--mail-type=END,ARRAY_TASKS",
                "--mail-user=mailto:tasks@example.org",
                "--wrap",
                "sleep 2"));
        jobs.add(submit(
                cluster,
                work,
                "receivers",
                "--mail-type=END,FAIL",
                "--mail-user=mailto:m1@example.org,bare@example.org,carol,MAILTO:Alice@Example.org,carrier-pigeon:coo",
                "--wrap",
                "sleep 1"));
        jobs.add(submit(
                cluster,
                work,
                "unknown-scheme",
                "--mail-type=END,FAIL",
                "--mail-user=carrier-pigeon:coo",
                "--wrap",
                "sleep 1"));
        Job pending = submit(
                cluster,
                work,
                "cancel-pending",
                "--begin=now+1hour",
                "--mail-type=ALL",
                "--mail-user=mailto:pending@example.org",
                "--wrap",
                "sleep 1");
        jobs.add(pending);

        Awaitility.await("job " + pending.id() + " pending")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.slurm("squeue", "-h", "-j", pending.id(), "-o", "%T")
                        .stdout()
                        .strip()
                        .equals("PENDING"));
        cluster.slurm("scancel", pending.id()).stdoutOrThrow();
        Progress.say("cancelled job " + pending.id() + " while pending");

        awaitMail(mailbox, running, "Began");
        cluster.slurm("scancel", running.id()).stdoutOrThrow();
        Progress.say("cancelled job " + running.id() + " while running");

        awaitMail(mailbox, requeue, "Began");
        cluster.slurm("scontrol", "requeue", requeue.id()).stdoutOrThrow();
        Progress.say("requeued job " + requeue.id());
        awaitMail(mailbox, requeue, "Requeued");
        cluster.slurm("scancel", requeue.id()).stdoutOrThrow();
        Progress.say("cancelled job " + requeue.id() + " after its requeue");
        return jobs;
    }

    private static void awaitMail(QueueMailbox mailbox, Job job, String mailType) {
        Awaitility.await(mailType + " message for job " + job.id() + " (" + job.label() + ") on the queue")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !mailbox.about(job.id(), mailType).isEmpty());
        Progress.say(mailType + " message of job " + job.id() + " (" + job.label() + ") is on the queue");
    }

    /** Waits until sacct shows every job final, batch steps included (the TIMEOUT job takes 60-90 s). */
    private static Map<String, SacctRows> awaitSettled(LocalSlurmCluster cluster, List<Job> jobs) {
        Map<String, SacctRows> out = new LinkedHashMap<>();
        Awaitility.await("every job final in sacct")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    for (Job j : jobs) {
                        if (out.containsKey(j.id())) {
                            continue;
                        }
                        SacctRows rows = SacctRows.parse(
                                cluster.slurm("sacct", "-j", j.id(), "-n", "-P", "--format=" + SacctRows.FORMAT)
                                        .stdoutOrThrow());
                        if (!rows.settled()) {
                            return false;
                        }
                        out.put(j.id(), rows);
                        Progress.say("sacct: job " + j.id() + " (" + j.label() + ") "
                                + rows.jobRows().stream()
                                        .map(r -> r.id() + " " + r.state() + " " + r.exitCode())
                                        .collect(Collectors.joining(", ")));
                    }
                    return true;
                });
        return out;
    }

    /**
     * The mail types each job must produce on the queue, one entry per envelope. Slurm 22.05 decides which events mail
     * (shared/slurm/CONTRACT.md); Herald sends one envelope per usable receiver.
     */
    private static Map<String, List<String>> expectedMail(List<Job> jobs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Job j : jobs) {
            out.put(
                    j.id(),
                    switch (j.label()) {
                        case "timeout", "memkill" -> List.of("Began", "Failed");
                        case "requeue" -> List.of("Began", "Requeued", "Ended");
                        case "cancel-running", "ok" -> List.of("Began", "Ended");
                        case "fail3" -> List.of("Failed");
                        // Without ARRAY_TASKS: one summary for the whole array; a task exited 4, so FAIL.
                        case "array" -> List.of("Failed");
                        case "array-tasks" -> List.of("Ended", "Ended", "Ended");
                        // m1, bare, carol (mail domain) and Alice; carrier-pigeon is reported in each text.
                        case "receivers" -> List.of("Ended", "Ended", "Ended", "Ended");
                        // No usable receiver: the user's default one (herald-e2e-user@example.org) hears why.
                        case "unknown-scheme", "cancel-pending" -> List.of("Ended");
                        default -> throw new IllegalArgumentException("no expectation for job " + j.label());
                    });
        }
        return out;
    }

    /** Waits for the expected messages; what is still missing after the bound is reported by the checks. */
    private static void awaitExpected(QueueMailbox mailbox, Map<String, List<String>> expected) {
        try {
            Awaitility.await("every expected message on the queue")
                    .atMost(Duration.ofSeconds(45))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> expected.entrySet().stream().allMatch(e -> {
                        List<String> got = mailbox.about(e.getKey()).stream()
                                .map(x -> x.slurm().mailType())
                                .toList();
                        return e.getValue().stream().distinct().allMatch(t -> count(got, t) >= count(e.getValue(), t));
                    }));
            Progress.say("every expected message is on the queue");
        } catch (ConditionTimeoutException e) {
            Progress.say("not every expected message arrived within 45 s after the jobs ended;"
                    + " the checks list what is missing");
        }
    }

    private static long count(List<String> list, String value) {
        return list.stream().filter(value::equals).count();
    }

    private static void checkEveryMessage(
            SoftAssertions softly,
            QueueMailbox mailbox,
            List<Job> jobs,
            Map<String, SacctRows> sacct,
            Map<String, List<String>> expected,
            OutboxProvider outbox)
            throws Exception {
        for (Job job : jobs) {
            List<Envelope> mail = mailbox.about(job.id());
            SacctRows rows = sacct.get(job.id());
            Progress.say("job " + job.id() + " (" + job.label() + "): " + mail.size() + " message(s): "
                    + mail.stream()
                            .map(e -> e.slurm().mailType() + "→" + e.channel() + ":" + e.target())
                            .collect(Collectors.joining(", ")));
            List<String> types =
                    mail.stream().map(e -> e.slurm().mailType()).sorted().toList();
            softly.assertThat(types)
                    .as("mail types of job %s (%s)", job.id(), job.label())
                    .isEqualTo(expected.get(job.id()).stream().sorted().toList());
            for (Envelope e : mail) {
                Progress.say("  " + e.slurm().mailType() + " → " + e.target() + ": "
                        + e.content().facts().stream()
                                .map(f -> f.label() + "=" + f.value())
                                .collect(Collectors.joining("; "))
                        + (e.content().hints().isEmpty()
                                ? ""
                                : " | hints: " + String.join(" / ", e.content().hints())));
                checkAgainstSacct(softly, job, e, rows);
                checkHints(softly, job, e, rows);
                checkEmailShowsEachOnce(softly, job, e, OutboxEmail.deliver(outbox, e));
            }
            checkReceivers(softly, job, mail);
        }
    }

    /** State, exit code, run time, CPUs and memory of one message against sacct's rows for the job. */
    private static void checkAgainstSacct(SoftAssertions softly, Job job, Envelope e, SacctRows rows) {
        String what = job.label() + " " + e.slurm().mailType() + " to " + e.target();
        softly.assertThat(e.origin().principal()).as("%s: user", what).isEqualTo(JOB_USER);
        softly.assertThat(e.slurm().cluster()).as("%s: cluster", what).isEqualTo(LocalSlurmCluster.CLUSTER);
        softly.assertThat(e.content().text())
                .as("%s: the text starts with the title", what)
                .startsWith(e.content().title());
        if ("*".equals(e.slurm().arrayTaskId())) {
            checkArraySummary(softly, what, e, rows);
            return;
        }
        Optional<SacctRows.Row> found = rows.job(e.slurm().jobId());
        softly.assertThat(found)
                .as("%s: sacct knows job %s", what, e.slurm().jobId())
                .isPresent();
        if (found.isEmpty()) {
            return;
        }
        SacctRows.Row row = found.get();
        boolean ran = !(row.baseState().equals("CANCELLED") && row.elapsed().equals("00:00:00"));
        if (ran) {
            softly.assertThat(fact(e, "CPUs"))
                    .as("%s: CPUs as sacct's NCPUS (BEGIN too, issue 12 part 4)", what)
                    .contains(String.valueOf(row.cpus()));
        }
        if (!List.of("Ended", "Failed").contains(e.slurm().mailType())) {
            return;
        }
        softly.assertThat(e.slurm().state()).as("%s: state as sacct's", what).isEqualTo(row.baseState());
        softly.assertThat(e.slurm().exitCode())
                .as("%s: exit code as sacct's", what)
                .isEqualTo(row.exitCode());
        softly.assertThat(fact(e, "Run time"))
                .as("%s: run time as sacct's Elapsed", what)
                .hasValueSatisfying(
                        v -> softly.assertThat(v).as("%s: run time", what).startsWith(row.elapsed()));
        OptionalLong peak = rows.peakRss(e.slurm().jobId());
        if (ran && peak.isPresent()) {
            Optional<String> memory = fact(e, "Memory");
            softly.assertThat(memory)
                    .as(
                            "%s: peak memory shown (CANCELLED and TIMEOUT too, issue 12 part 4); sacct: %d bytes",
                            what, peak.getAsLong())
                    .isPresent();
            // Seen failing: right after a short job ends, sacct 22.05 shows its row final but incomplete
            // (ReqMem "16?", JobName "allocation") for about a second; a forwarder that composes from that
            // row loses the request, and with it the memory-kill hint.
            if (!row.reqMem().isEmpty() && memory.isPresent()) {
                softly.assertThat(memory.get())
                        .as("%s: peak memory set against the %s requested (sacct ReqMem)", what, row.reqMem())
                        .contains("requested");
            }
            memory.map(RealSlurmClusterTest::leadingBytes)
                    .ifPresent(shown -> softly.assertThat((double) shown)
                            .as(
                                    "%s: peak memory %s against sacct's MaxRSS %d bytes",
                                    what, memory.get(), peak.getAsLong())
                            .isCloseTo(peak.getAsLong(), Offset.offset(peak.getAsLong() * 0.1 + (1 << 20))));
        }
    }

    /** An array summary: the worst state and exit codes, and the tasks counted by state (issue 12 part 4). */
    private static void checkArraySummary(SoftAssertions softly, String what, Envelope e, SacctRows rows) {
        List<SacctRows.Row> tasks = rows.jobRows();
        Map<String, Long> byState = tasks.stream()
                .collect(Collectors.groupingBy(SacctRows.Row::baseState, TreeMap::new, Collectors.counting()));
        String tally = fact(e, "Tasks").orElse("");
        byState.forEach((state, n) -> softly.assertThat(tally)
                .as("%s: the Tasks fact counts %d %s task(s) as sacct does (issue 12 part 4)", what, n, state)
                .containsPattern("\\b" + n + "\\s+" + state + "|" + state + "\\W{1,3}" + n + "\\b"));
        List<Integer> exits = tasks.stream()
                .map(r -> Integer.parseInt(r.exitCode().split(":")[0]))
                .sorted()
                .toList();
        String range = exits.getFirst() + "-" + exits.getLast();
        softly.assertThat(fact(e, "Exit codes"))
                .as("%s: exit codes as sacct's", what)
                .contains(range);
    }

    private static void checkHints(SoftAssertions softly, Job job, Envelope e, SacctRows rows) {
        String what = job.label() + " " + e.slurm().mailType() + " to " + e.target();
        List<String> hints = e.content().hints();
        if (!job.hasTimeLimit()) {
            softly.assertThat(hints)
                    .as("%s: no --time hint for a job that set no limit (issue 12 part 4)", what)
                    .noneMatch(h -> h.contains("--time"));
        }
        Optional<SacctRows.Row> row = rows.job(e.slurm().jobId());
        if (row.isEmpty()) {
            return;
        }
        long requested = SacctRows.bytes(row.get().reqMem());
        OptionalLong peak = rows.peakRss(e.slurm().jobId());
        if (peak.isPresent() && peak.getAsLong() < requested) {
            for (String h : hints) {
                Matcher m = MEM_SUGGESTION.matcher(h);
                while (m.find()) {
                    long suggested = SacctRows.bytes(m.group(1) + (m.group(2).isEmpty() ? "M" : m.group(2)));
                    softly.assertThat(suggested)
                            .as(
                                    "%s: a job that used less than its %s gets no suggestion above it: %s"
                                            + " (issue 12 part 4)",
                                    what, row.get().reqMem(), h)
                            .isLessThanOrEqualTo(requested);
                }
            }
        }
        boolean shortOrKilled = seconds(row.get().elapsed()) < 60
                || List.of("FAILED", "TIMEOUT", "CANCELLED").contains(row.get().baseState());
        if (shortOrKilled) {
            softly.assertThat(hints)
                    .as("%s: no CPU-efficiency hint for a very short or killed job (issue 12 part 4)", what)
                    .noneMatch(h -> h.startsWith("CPU"));
        }
        if (job.label().equals("memkill") && e.slurm().mailType().equals("Failed")) {
            softly.assertThat(hints)
                    .as(
                            "%s: a memory kill (FAILED, signal 9, peak over --mem) gets a memory hint"
                                    + " (issue 12 part 4)",
                            what)
                    .anyMatch(h -> h.contains("--mem"));
        }
        if (job.label().equals("timeout") && e.slurm().mailType().equals("Failed")) {
            softly.assertThat(hints)
                    .as("%s: a TIMEOUT gets the --time hint", what)
                    .anyMatch(h -> h.contains("--time"));
        }
    }

    /**
     * What the user reads: the email the pipeline's outbox provider writes (the MIME every email provider sends) shows
     * each fact and each hint once in its text and HTML parts (issue 12 part 4: twice today).
     */
    private static void checkEmailShowsEachOnce(SoftAssertions softly, Job job, Envelope e, OutboxEmail email) {
        String what = job.label() + " " + e.slurm().mailType() + " email to " + e.target();
        softly.assertThat(email.subject())
                .as("%s: subject", what)
                .isEqualTo(e.content().title());
        List<String> text = new ArrayList<>();
        List<String> html = new ArrayList<>();
        for (Fact f : e.content().facts()) {
            String label = Pattern.quote(f.label());
            int inText = occurrences(email.text(), "(?m)^\\s*" + label + ":\\s");
            int inHtml = occurrences(email.html(), "(?m)(^|<p>|<br>)" + label + ": |>" + label + "</th>");
            if (inText != 1) {
                text.add("fact '" + f.label() + "' " + inText + " times");
            }
            if (inHtml != 1) {
                html.add("fact '" + f.label() + "' " + inHtml + " times");
            }
        }
        for (String hint : e.content().hints()) {
            int inText = occurrences(email.text(), Pattern.quote(hint));
            if (inText != 1) {
                text.add("hint '" + hint.substring(0, Math.min(40, hint.length())) + "...' " + inText + " times");
            }
        }
        softly.assertThat(text)
                .as("%s: text part shows each fact and hint once (issue 12 part 4)", what)
                .isEmpty();
        softly.assertThat(html)
                .as("%s: HTML part shows each fact once (issue 12 part 4)", what)
                .isEmpty();
    }

    private static int occurrences(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Who got the messages: bare, mailto:, several, upper-case, an unknown scheme, and only an unknown scheme. */
    private static void checkReceivers(SoftAssertions softly, Job job, List<Envelope> mail) {
        switch (job.label()) {
            case "receivers" -> {
                softly.assertThat(mail)
                        .extracting(e -> e.channel() + ":" + e.target().toLowerCase(Locale.ROOT))
                        .as(
                                "receivers of %s: mailto:, bare address, bare name + mail domain, "
                                        + "MAILTO:Alice@Example.org"
                                        + " (allow-list domains compare case-insensitively, issue 12 part 3)",
                                job.label())
                        .containsExactlyInAnyOrder(
                                "email:m1@example.org",
                                "email:bare@example.org",
                                "email:carol@example.org",
                                "email:alice@example.org");
                for (Envelope e : mail) {
                    softly.assertThat(e.content().text())
                            .as("%s to %s: the unknown scheme reported", job.label(), e.target())
                            .contains("Not sent to")
                            .contains("carrier-pigeon");
                }
            }
            case "unknown-scheme" -> {
                softly.assertThat(mail)
                        .extracting(e -> e.channel() + ":" + e.target())
                        .as("no usable receiver: the user's default receiver hears why (issue 12 part 3)")
                        .containsExactly("email:" + JOB_USER + "@example.org");
                mail.forEach(e -> softly.assertThat(e.content().text())
                        .as("%s: says why", job.label())
                        .contains("Not sent to")
                        .contains("carrier-pigeon"));
            }
            case "fail3" ->
                softly.assertThat(mail)
                        .extracting(e -> e.channel() + ":" + e.target())
                        .as("a bare address")
                        .containsOnly("email:fail@example.org");
            case "requeue" ->
                softly.assertThat(mail)
                        .extracting(e -> e.channel() + ":" + e.target())
                        .as("a bare address")
                        .containsOnly("email:requeue@example.org");
            default -> {
                String expected = "email:"
                        + job.options().stream()
                                .filter(o -> o.startsWith("--mail-user=mailto:"))
                                .findFirst()
                                .orElseThrow()
                                .substring("--mail-user=mailto:".length());
                softly.assertThat(mail)
                        .extracting(e -> e.channel() + ":" + e.target())
                        .as("receiver of %s", job.label())
                        .containsOnly(expected);
            }
        }
    }

    /** Nothing left behind: every record sent, none set aside. */
    private static void checkSpool(SoftAssertions softly, HeraldInstallation herald) throws IOException {
        for (String dir : List.of("new", "failed")) {
            try (Stream<Path> files = Files.list(herald.spool().resolve(dir))) {
                List<String> left = files.map(p -> p.getFileName().toString()).toList();
                softly.assertThat(left).as("spool %s/ after the run", dir).isEmpty();
            }
        }
    }

    private static Optional<String> fact(Envelope e, String label) {
        return e.content().facts().stream()
                .filter(f -> f.label().equals(label))
                .map(Fact::value)
                .findFirst();
    }

    /** "12.7 MiB peak ..." → bytes. */
    private static long leadingBytes(String value) {
        Matcher m = SIZE.matcher(value);
        if (!m.find()) {
            return -1;
        }
        int shift = switch (m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 0;
        };
        return Math.round(Double.parseDouble(m.group(1)) * (1L << shift));
    }

    /** sacct's [D-]HH:MM:SS in seconds. */
    private static long seconds(String elapsed) {
        long days = 0;
        String hms = elapsed;
        if (hms.contains("-")) {
            days = Long.parseLong(hms.substring(0, hms.indexOf('-')));
            hms = hms.substring(hms.indexOf('-') + 1);
        }
        String[] p = hms.split(":");
        return days * 86_400 + Long.parseLong(p[0]) * 3600 + Long.parseLong(p[1]) * 60 + Long.parseLong(p[2]);
    }
}
