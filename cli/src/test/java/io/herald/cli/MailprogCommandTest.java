package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.spool.SpoolSetup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `herald mailprog ...` and `herald telegram-bot` from the command line. */
class MailprogCommandTest {

    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void helpListsTheSlurmCommands() {
        assertThat(run("--help").out()).contains("mailprog", "telegram-bot");
        assertThat(run("mailprog", "--help").out()).contains("forward", "flush", "retry-failed", "install-shim");
        for (String sub : new String[] {"forward", "flush", "retry-failed", "install-shim"}) {
            assertThat(run("mailprog", sub, "--help").out()).as(sub).contains("--config");
        }
        assertThat(run("telegram-bot", "--help").out()).contains("--config");
    }

    /** Real users: as root (CI) two system users that exist everywhere; otherwise whoever runs the test. */
    private static String[] spoolUsers() {
        if (SpoolSetup.SYSTEM.isRoot()) {
            return new String[] {"daemon", "nobody"};
        }
        String me = SpoolSetup.SYSTEM.currentUser();
        return new String[] {me, me};
    }

    @Test
    void installShimWritesTheScriptAndASpoolSlurmUserWritesAndTheForwarderReads() throws Exception {
        Path spool = dir.resolve("spool");
        Path file = Files.writeString(dir.resolve("herald.yaml"), "mailprog:\n  spoolDir: " + spool + "\n");
        Path target = dir.resolve("herald-mailprog");
        String[] users = spoolUsers();

        CommandRun run = run(
                "mailprog",
                "install-shim",
                "--config",
                file.toString(),
                "--to",
                target.toString(),
                "--slurm-user",
                users[0],
                "--forwarder-user",
                users[1]);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(target)).contains("SPOOL='" + spool + "'").startsWith("#!/bin/sh");
        assertThat(Files.isExecutable(target)).isTrue();
        String group = SpoolSetup.SYSTEM.primaryGroup(users[1]).orElseThrow();
        for (Path d : List.of(spool, spool.resolve("tmp"), spool.resolve("new"), spool.resolve("failed"))) {
            assertThat(SpoolSetup.SYSTEM.state(d))
                    .as(d.toString())
                    .contains(new SpoolSetup.DirState(users[0], group, 042770));
        }
        assertThat(run.out()).contains("MailProg=" + target, "written by " + users[0], "read by " + users[1]);
        // Run again: everything is as it should be, nothing to create, the script is rewritten.
        CommandRun again = run(
                "mailprog",
                "install-shim",
                "--config",
                file.toString(),
                "--to",
                target.toString(),
                "--slurm-user",
                users[0],
                "--forwarder-user",
                users[1]);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("created");
    }

    /**
     * What the real-Slurm test checked before it installed from the package: SlurmUser comes from slurm.conf (here
     * --slurm-conf; the same lookup as $SLURM_CONF) and the spool is made for that user.
     */
    @Test
    void installShimTakesSlurmUserFromSlurmConfAndMakesTheSpoolForIt() throws Exception {
        Path spool = dir.resolve("spool");
        Path file = Files.writeString(dir.resolve("herald.yaml"), "mailprog:\n  spoolDir: " + spool + "\n");
        Path target = dir.resolve("herald-mailprog");
        String[] users = spoolUsers();
        Path conf = Files.writeString(
                dir.resolve("slurm.conf"), "ClusterName=test\n# SlurmUser=root\nSlurmUser=" + users[0] + "\n");

        CommandRun run = run(
                "mailprog",
                "install-shim",
                "--config",
                file.toString(),
                "--to",
                target.toString(),
                "--slurm-conf",
                conf.toString(),
                "--forwarder-user",
                users[1]);

        assertThat(run.exitCode()).as(run.err()).isZero();
        String group = SpoolSetup.SYSTEM.primaryGroup(users[1]).orElseThrow();
        for (Path d : List.of(spool, spool.resolve("tmp"), spool.resolve("new"), spool.resolve("failed"))) {
            assertThat(SpoolSetup.SYSTEM.state(d))
                    .as(d.toString())
                    .contains(new SpoolSetup.DirState(users[0], group, 042770));
        }
        assertThat(run.out()).contains("written by " + users[0], "read by " + users[1]);
    }

    @Test
    void installShimRefusesASpoolWithTheWrongModeNamingTheFix() throws Exception {
        Path spool = dir.resolve("spool");
        for (String sub : new String[] {"tmp", "new", "failed"}) {
            Files.createDirectories(spool.resolve(sub));
        }
        // What the old install-shim made: group-readable only, so SlurmUser's records could not be moved by the
        // forwarder.
        for (Path d : List.of(spool, spool.resolve("tmp"), spool.resolve("new"), spool.resolve("failed"))) {
            Files.setAttribute(d, "unix:mode", 02755);
        }
        String me = SpoolSetup.SYSTEM.currentUser();
        Path file = Files.writeString(dir.resolve("herald.yaml"), "mailprog:\n  spoolDir: " + spool + "\n");
        Path target = dir.resolve("herald-mailprog");

        CommandRun run = run(
                "mailprog",
                "install-shim",
                "--config",
                file.toString(),
                "--to",
                target.toString(),
                "--slurm-user",
                me,
                "--forwarder-user",
                me);

        assertThat(run.exitCode()).isEqualTo(1);
        String group = SpoolSetup.SYSTEM.primaryGroup(me).orElseThrow();
        assertThat(run.err().strip())
                .hasLineCount(1)
                .contains(spool + "/new is " + me + ":" + group + " 2755")
                .endsWith("chmod 2770 " + spool + " " + spool.resolve("tmp") + " " + spool.resolve("new") + " "
                        + spool.resolve("failed"));
        assertThat(target).as("nothing written when refused").doesNotExist();
    }

    /**
     * Not being root cannot be had while the test runs as root (CI), nor root while it does not: the machine's users
     * and directories are a stand-in here, saying what a real non-root run would see.
     */
    private static final class NotRoot implements SpoolSetup.Host {
        final Map<Path, SpoolSetup.DirState> dirs = new HashMap<>();

        @Override
        public boolean isRoot() {
            return false;
        }

        @Override
        public String currentUser() {
            return "alice";
        }

        @Override
        public Optional<String> primaryGroup(String user) {
            return Map.of("slurm", "slurm", "herald", "herald", "alice", "alice").entrySet().stream()
                    .filter(e -> e.getKey().equals(user))
                    .map(Map.Entry::getValue)
                    .findFirst();
        }

        @Override
        public Optional<SpoolSetup.DirState> state(Path dir) {
            return Optional.ofNullable(dirs.get(dir));
        }

        @Override
        public void create(Path dir, String owner, String group, int mode) {
            throw new AssertionError("a non-root run must not create " + dir);
        }
    }

    private static CommandRun installShimWith(SpoolSetup.Host host, String... args) {
        CommandLine cli = Herald.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        ((MailprogCommand.InstallShim) cli.getSubcommands()
                        .get("mailprog")
                        .getSubcommands()
                        .get("install-shim")
                        .getCommand())
                .host = host;
        List<String> all = new ArrayList<>(List.of("mailprog", "install-shim"));
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(String[]::new));
        return new CommandRun(code, out.toString(), err.toString());
    }

    @Test
    void installShimAsAnotherUserThanRootRefusesToCreateTheSpoolAndSaysSo() throws Exception {
        Path spool = dir.resolve("spool");
        Path file = Files.writeString(dir.resolve("herald.yaml"), "mailprog:\n  spoolDir: " + spool + "\n");
        Path conf = Files.writeString(
                dir.resolve("slurm.conf"), "ClusterName=test\n# SlurmUser=nobody\nSlurmUser = slurm\n");

        CommandRun run = installShimWith(
                new NotRoot(),
                "--config",
                file.toString(),
                "--to",
                dir.resolve("x").toString(),
                "--slurm-conf",
                conf.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).hasLineCount(1).contains("owned by slurm:herald (mode 2770)", "run it as root");
        assertThat(spool).doesNotExist();
    }

    @Test
    void installShimNamesTheForwarderUserOrSlurmUserThatDoesNotExist() throws Exception {
        Path file =
                Files.writeString(dir.resolve("herald.yaml"), "mailprog:\n  spoolDir: " + dir.resolve("spool") + "\n");

        CommandRun noForwarder = installShimWith(
                new NotRoot(),
                "--config",
                file.toString(),
                "--to",
                dir.resolve("x").toString(),
                "--slurm-user",
                "slurm",
                "--forwarder-user",
                "heraldx");
        CommandRun noSlurm = installShimWith(
                new NotRoot(),
                "--config",
                file.toString(),
                "--to",
                dir.resolve("x").toString(),
                "--slurm-user",
                "slurmx");
        CommandRun noConf = installShimWith(
                new NotRoot(),
                "--config",
                file.toString(),
                "--to",
                dir.resolve("x").toString(),
                "--slurm-conf",
                dir.resolve("missing.conf").toString());

        assertThat(noForwarder.exitCode()).isEqualTo(1);
        assertThat(noForwarder.err().strip()).hasLineCount(1).contains("no user 'heraldx'", "--forwarder-user");
        assertThat(noSlurm.exitCode()).isEqualTo(1);
        assertThat(noSlurm.err().strip()).hasLineCount(1).contains("no user 'slurmx'", "--slurm-user");
        assertThat(noConf.exitCode()).isEqualTo(1);
        assertThat(noConf.err().strip()).hasLineCount(1).contains("missing.conf", "--slurm-user USER");
    }

    @Test
    void flushSendsTheSpoolAndSaysWhatItDid() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("new"));
        String record = String.join(
                        "\0",
                        "herald-mailprog 1",
                        "4",
                        "/usr/bin/herald-mailprog",
                        "-s",
                        "Slurm Job_id=12 Name=demo Ended, Run time 00:00:05, COMPLETED, ExitCode 0",
                        "mailto:alice@example.org",
                        "SLURM_JOB_ID=12",
                        "SLURM_JOB_MAIL_TYPE=Ended",
                        "SLURM_JOB_USER=alice")
                + "\0";
        Files.writeString(spool.resolve("new/1.2.test"), record);
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0)) {
            Path file = Files.writeString(dir.resolve("herald.yaml"), """
                    sqs:
                      endpoint: %s
                      queues: [slurm-cli]
                    mailprog:
                      spoolDir: %s
                      sacct: ""
                    """.formatted(sqs.endpoint(), spool));
            try (var client =
                    io.herald.core.sqs.SqsClients.create(new io.herald.core.config.ConfigLoader(java.util.Map.of())
                            .load(java.util.Optional.of(file))
                            .sqs())) {
                io.herald.core.sqs.SqsQueues.provision(
                        client,
                        new io.herald.core.config.ConfigLoader(java.util.Map.of())
                                .load(java.util.Optional.of(file))
                                .sqs());
            }

            CommandRun run = run("mailprog", "flush", "--config", file.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("sent 1 spool record(s), 0 moved to failed/, 0 waiting for SQS");
            assertThat(spool.resolve("new/1.2.test")).doesNotExist();
        }
    }

    @Test
    void flushExitsFourWhenSqsIsUnreachableAndKeepsTheRecord() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("new"));
        Files.writeString(
                spool.resolve("new/1.2.test"),
                String.join(
                                "\0",
                                "herald-mailprog 1",
                                "4",
                                "x",
                                "-s",
                                "Slurm Job_id=12 Name=demo Began",
                                "mailto:alice@example.org",
                                "SLURM_JOB_USER=alice")
                        + "\0");
        Path file = Files.writeString(dir.resolve("herald.yaml"), """
                sqs:
                  endpoint: http://127.0.0.1:1
                mailprog:
                  spoolDir: %s
                  sacct: ""
                """.formatted(spool));

        CommandRun run = run("mailprog", "flush", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err().strip()).hasLineCount(1).contains("1 spool record(s) kept", "SqsUnreachable");
        assertThat(spool.resolve("new/1.2.test")).exists();
    }

    private static final String GOOD_RECORD = String.join(
                    "\0",
                    "herald-mailprog 1",
                    "4",
                    "/usr/bin/herald-mailprog",
                    "-s",
                    "Slurm Job_id=12 Name=demo Ended, Run time 00:00:05, COMPLETED, ExitCode 0",
                    "mailto:alice@example.org",
                    "SLURM_JOB_ID=12",
                    "SLURM_JOB_MAIL_TYPE=Ended",
                    "SLURM_JOB_USER=alice")
            + "\0";

    private Path flushConfig(Path spool, String endpoint, String queue, String extra) throws Exception {
        return Files.writeString(dir.resolve("herald.yaml"), """
                sqs:
                  endpoint: %s
                  queues: [%s]
                mailprog:
                  spoolDir: %s
                  sacct: ""
                %s""".formatted(endpoint, queue, spool, extra));
    }

    @Test
    void flushExitsThreeWhenRecordsWereSetAside() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("new"));
        Files.writeString(spool.resolve("new/1.good"), GOOD_RECORD);
        Files.writeString(spool.resolve("new/2.bad"), "not a record\n");
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0)) {
            provision(sqs, "slurm-set-aside");
            Path file = flushConfig(spool, sqs.endpoint().toString(), "slurm-set-aside", "");

            CommandRun run = run("mailprog", "flush", "--config", file.toString());

            assertThat(run.exitCode()).isEqualTo(3);
            assertThat(run.out()).contains("sent 1 spool record(s), 1 moved to failed/, 0 waiting for SQS");
            assertThat(run.err().strip()).hasLineCount(1).contains("1 spool record(s) set aside", "retry-failed");
            assertThat(spool.resolve("failed/2.bad.reason")).exists();
        }
    }

    @Test
    void flushExitsOneWhenThePassCannotRun() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool);
        Files.writeString(spool.resolve("new"), "a file where the directory should be");
        Path file = flushConfig(spool, "http://127.0.0.1:1", "q", "");

        CommandRun run = run("mailprog", "flush", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .startsWith("herald: the forwarder pass failed:")
                .contains(spool + "/new");
    }

    @Test
    void flushWithAnUnknownOptionIsAUsageError() {
        CommandRun run = run("mailprog", "flush", "--bogus");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--bogus");
    }

    @Test
    void flushHelpDocumentsEveryExitCode() {
        assertThat(run("mailprog", "flush", "--help").out())
                .contains(
                        "Exit codes:",
                        "0",
                        "every record was sent",
                        "could not run",
                        "bad usage",
                        "set aside in failed/",
                        "SQS kept records waiting");
    }

    private static void provision(EmbeddedSqs sqs, String queue) {
        io.herald.core.config.HeraldConfig.Sqs config = new io.herald.core.config.HeraldConfig.Sqs(
                sqs.endpoint().toString(),
                "us-east-1",
                List.of(queue),
                "-dlq",
                5,
                java.time.Duration.ofSeconds(30),
                10);
        try (var client = io.herald.core.sqs.SqsClients.create(config)) {
            io.herald.core.sqs.SqsQueues.provision(client, config);
        }
    }

    @Test
    void flushWithLocalSendsToTheQueuesOfTheRunningLocalStack() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("new"));
        Files.writeString(spool.resolve("new/1.good"), GOOD_RECORD);
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0)) {
            provision(sqs, "local-slurm");
            // The configuration names another endpoint and queue: --local takes the local stack's.
            Path file = flushConfig(
                    spool,
                    "http://127.0.0.1:1",
                    "elsewhere",
                    LocalStateFixture.write(
                            dir.resolve("state.json"),
                            sqs.endpoint().toString(),
                            List.of("local-slurm"),
                            "http://127.0.0.1:1",
                            "t-s"));

            CommandRun run = run("mailprog", "flush", "--local", "--config", file.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("sent 1 spool record(s)");
            try (var client = io.herald.core.sqs.SqsClients.create(io.herald.core.config.HeraldConfig.defaults()
                    .sqs()
                    .withEndpoint(sqs.endpoint().toString()))) {
                String url = client.getQueueUrl(b -> b.queueName("local-slurm")).queueUrl();
                assertThat(client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10))
                                .messages())
                        .hasSize(1);
            }
        }
    }

    @Test
    void forwardAndFlushWithLocalAndNoLocalStackFailOnOneLine() throws Exception {
        Path spool = dir.resolve("spool");
        Path file = flushConfig(
                spool, "http://127.0.0.1:1", "q", "local:\n  stateFile: " + dir.resolve("none.json") + "\n");

        for (String sub : new String[] {"forward", "flush"}) {
            CommandRun run = run("mailprog", sub, "--local", "--config", file.toString());

            assertThat(run.exitCode()).as(sub).isEqualTo(1);
            assertThat(run.err().strip()).as(sub).hasLineCount(1).startsWith("herald: no ./herald local is running");
        }
    }

    private Path failedRecord(Path spool, String name, String reason) throws Exception {
        Files.createDirectories(spool.resolve("failed"));
        Files.writeString(spool.resolve("failed/" + name + ".reason"), reason + "\n");
        return Files.writeString(spool.resolve("failed/" + name), GOOD_RECORD);
    }

    @Test
    void retryFailedPutsSetAsideRecordsBackAndTheirReasonsAway() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("new"));
        failedRecord(spool, "1.a", "no receiver to send to: not allowed by mailprog.allowList");
        failedRecord(spool, "2.b", "SQS refused: MessageTooLarge");
        failedRecord(spool, "3.c", "item 1 'x': NOT ALLOWED BY MAILPROG.ALLOWLIST");
        Path file = Files.writeString(dir.resolve("herald.yaml"), "mailprog:\n  spoolDir: " + spool + "\n");

        CommandRun dry =
                run("mailprog", "retry-failed", "--reason", "allowlist", "--dry-run", "--config", file.toString());

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out())
                .contains("1.a  no receiver to send to", "3.c  item 1", "would put 2 set-aside record(s) back")
                .doesNotContain("2.b");
        assertThat(spool.resolve("failed/1.a")).exists();

        CommandRun some = run("mailprog", "retry-failed", "--reason", "allowlist", "--config", file.toString());

        assertThat(some.exitCode()).as(some.err()).isZero();
        assertThat(some.out()).contains("put 2 set-aside record(s) back into " + spool.resolve("new"));
        assertThat(spool.resolve("new/1.a")).exists();
        assertThat(spool.resolve("new/3.c")).exists();
        assertThat(spool.resolve("failed/1.a.reason")).doesNotExist();
        assertThat(spool.resolve("failed/2.b")).exists();
        assertThat(spool.resolve("failed/2.b.reason")).exists();

        CommandRun rest = run("mailprog", "retry-failed", "--config", file.toString());
        assertThat(rest.out()).contains("put 1 set-aside record(s) back");
        CommandRun none = run("mailprog", "retry-failed", "--config", file.toString());
        assertThat(none.out()).contains("put 0 set-aside record(s)");
    }

    @Test
    void retryFailedSaysWhichRecordCouldNotBeMovedAndExitsOne() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("new"));
        failedRecord(spool, "1.a", "whatever");
        Files.writeString(spool.resolve("new/1.a"), "a record of the same name is already waiting");
        Path file = Files.writeString(dir.resolve("herald.yaml"), "mailprog:\n  spoolDir: " + spool + "\n");

        CommandRun run = run("mailprog", "retry-failed", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).hasLineCount(1).contains("1 record(s) stay in failed/", "1.a", "already waiting");
        assertThat(spool.resolve("failed/1.a.reason")).exists();
        assertThat(run("mailprog", "retry-failed", "--bogus").exitCode()).isEqualTo(2);
    }

    @Test
    void theBotWithoutATokenFailsNamingBothKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("herald.yaml"), "telegramBot:\n  pollTimeout: 1s\n");

        CommandRun run = run("telegram-bot", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .contains("telegramBot.botToken (HERALD_TELEGRAM_BOT_BOT_TOKEN)")
                .contains("providers.telegram.botToken");
    }
}
