package io.herald.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line itself: help, exit codes and one-line errors. */
class HeraldCommandTest {

    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void helpListsEveryCommand() {
        CommandRun run = run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("local", "serve", "api", "pipeline", "config", "dlq", "queues", "send-test");
    }

    @Test
    void versionOnEveryCommandNamesVersionCommitAndBuildDate() {
        for (String command : new String[]{"", "local", "mailprog", "mailprog flush", "dlq redrive", "queues"}) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add(command.isEmpty() ? "--version" : "-V");
            CommandRun run = run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(command).isZero();
            // The build filters version.properties: the project's version, a commit and an ISO date, no placeholder.
            assertThat(run.out()).as(command).startsWith("Herald " + BuildVersion.read().getProperty("version"))
                    .containsPattern("commit \\S+, built \\d{4}-\\d{2}-\\d{2}T").doesNotContain("${");
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[]{"local", "serve", "api", "pipeline", "config", "dlq list", "dlq show", "dlq redrive",
                "queues", "send-test"}) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            CommandRun run = run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).contains("--config");
        }
    }

    @Test
    void theOperationsCommandsReachALocalStackAndOfferJson() {
        for (String command : new String[]{"dlq list", "dlq show", "dlq redrive", "queues", "send-test"}) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            assertThat(run(args.toArray(String[]::new)).out()).as(command).contains("--local", "--json");
        }
    }

    @Test
    void anInvalidConfigExitsWithTwoAndNamesTheKeyOnOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("herald.yaml"), "api:\n  port: 70000\n");

        CommandRun run = run("config", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(Herald.EXIT_BAD_CONFIG);
        assertThat(run.err().strip()).hasLineCount(1).startsWith("herald: invalid configuration: api.port (HERALD_API_PORT)");
    }

    @Test
    void configPrintsTheEffectiveValues() throws Exception {
        Path file = Files.writeString(dir.resolve("herald.yaml"), "sqs:\n  queues: [alerts]\n  visibilityTimeout: 2m\n");

        CommandRun run = run("config", "--config", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("- \"alerts\"").contains("visibilityTimeout: \"2m\"");
    }

    @Test
    void configKeysListsEachKeyWithItsVariable() {
        CommandRun run = run("config", "--keys");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("api\\.maxBodyBytes\\s+HERALD_API_MAX_BODY_BYTES");
    }

    @Test
    void anUnknownCommandFailsWithUsage() {
        CommandRun run = run("frobnicate");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("frobnicate");
    }
}
