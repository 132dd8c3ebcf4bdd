package io.herald.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line itself: help, exit codes and one-line errors. */
class HeraldCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) {
        CommandLine cli = Herald.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryCommand() {
        Run run = run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("local", "api", "pipeline", "config");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[]{"local", "api", "pipeline", "config"}) {
            Run run = run(command, "--help");
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).contains("--config");
        }
    }

    @Test
    void anInvalidConfigExitsWithTwoAndNamesTheKeyOnOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("herald.yaml"), "api:\n  port: 70000\n");

        Run run = run("config", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(Herald.EXIT_BAD_CONFIG);
        assertThat(run.err().strip()).hasLineCount(1).startsWith("herald: invalid configuration: api.port (HERALD_API_PORT)");
    }

    @Test
    void configPrintsTheEffectiveValues() throws Exception {
        Path file = Files.writeString(dir.resolve("herald.yaml"), "sqs:\n  queues: [alerts]\n  visibilityTimeout: 2m\n");

        Run run = run("config", "--config", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("- \"alerts\"").contains("visibilityTimeout: \"2m\"");
    }

    @Test
    void configKeysListsEachKeyWithItsVariable() {
        Run run = run("config", "--keys");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("api\\.maxBodyBytes\\s+HERALD_API_MAX_BODY_BYTES");
    }

    @Test
    void anUnknownCommandFailsWithUsage() {
        Run run = run("frobnicate");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("frobnicate");
    }
}
