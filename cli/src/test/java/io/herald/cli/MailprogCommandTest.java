package io.herald.cli;

import io.herald.embedded.EmbeddedSqs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(run("mailprog", "--help").out()).contains("forward", "flush", "install-shim");
        for (String sub : new String[]{"forward", "flush", "install-shim"}) {
            assertThat(run("mailprog", sub, "--help").out()).as(sub).contains("--config");
        }
        assertThat(run("telegram-bot", "--help").out()).contains("--config");
    }

    @Test
    void installShimWritesTheScriptPointingAtTheConfiguredSpool() throws Exception {
        Path spool = dir.resolve("spool");
        Path file = Files.writeString(dir.resolve("herald.yaml"), "mailprog:\n  spoolDir: " + spool + "\n");
        Path target = dir.resolve("herald-mailprog");

        CommandRun run = run("mailprog", "install-shim", "--config", file.toString(), "--to", target.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(target)).contains("SPOOL='" + spool + "'").startsWith("#!/bin/sh");
        assertThat(Files.isExecutable(target)).isTrue();
        assertThat(spool.resolve("tmp")).isDirectory();
        assertThat(spool.resolve("new")).isDirectory();
        assertThat(run.out()).contains("MailProg=" + target);
    }

    @Test
    void flushSendsTheSpoolAndSaysWhatItDid() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("new"));
        String record = String.join("\0", "herald-mailprog 1", "4", "/usr/bin/herald-mailprog", "-s",
                "Slurm Job_id=12 Name=demo Ended, Run time 00:00:05, COMPLETED, ExitCode 0", "mailto:alice@example.org",
                "SLURM_JOB_ID=12", "SLURM_JOB_MAIL_TYPE=Ended", "SLURM_JOB_USER=alice") + "\0";
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
            try (var client = io.herald.core.sqs.SqsClients.create(new io.herald.core.config.ConfigLoader(java.util.Map.of())
                    .load(java.util.Optional.of(file)).sqs())) {
                io.herald.core.sqs.SqsQueues.provision(client, new io.herald.core.config.ConfigLoader(java.util.Map.of())
                        .load(java.util.Optional.of(file)).sqs());
            }

            CommandRun run = run("mailprog", "flush", "--config", file.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("sent 1 spool record(s), 0 moved to failed/, 0 waiting for SQS");
            assertThat(spool.resolve("new/1.2.test")).doesNotExist();
        }
    }

    @Test
    void flushExitsOneWhenSqsIsUnreachableAndKeepsTheRecord() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool.resolve("new"));
        Files.writeString(spool.resolve("new/1.2.test"), String.join("\0", "herald-mailprog 1", "4", "x", "-s",
                "Slurm Job_id=12 Name=demo Began", "mailto:alice@example.org", "SLURM_JOB_USER=alice") + "\0");
        Path file = Files.writeString(dir.resolve("herald.yaml"), """
                sqs:
                  endpoint: http://127.0.0.1:1
                mailprog:
                  spoolDir: %s
                  sacct: ""
                """.formatted(spool));

        CommandRun run = run("mailprog", "flush", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).hasLineCount(1).contains("1 spool record(s) kept");
        assertThat(spool.resolve("new/1.2.test")).exists();
    }

    @Test
    void theBotWithoutATokenFailsNamingBothKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("herald.yaml"), "telegramBot:\n  pollTimeout: 1s\n");

        CommandRun run = run("telegram-bot", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).hasLineCount(1).contains("telegramBot.botToken (HERALD_TELEGRAM_BOT_BOT_TOKEN)")
                .contains("providers.telegram.botToken");
    }
}
