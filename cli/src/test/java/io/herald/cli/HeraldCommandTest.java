package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        for (String command : new String[] {"", "local", "mailprog", "mailprog flush", "dlq redrive", "queues"}) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add(command.isEmpty() ? "--version" : "-V");
            CommandRun run = run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(command).isZero();
            // The build filters version.properties: the project's version, a commit and an ISO date, no placeholder.
            assertThat(run.out())
                    .as(command)
                    .startsWith("Herald " + BuildVersion.read().getProperty("version"))
                    .containsPattern("commit \\S+, built \\d{4}-\\d{2}-\\d{2}T")
                    .doesNotContain("${");
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {
            "local", "serve", "api", "pipeline", "config", "dlq list", "dlq show", "dlq redrive", "queues", "send-test"
        }) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            CommandRun run = run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).contains("--config");
        }
    }

    @Test
    void theOperationsCommandsReachALocalStackAndOfferJson() {
        for (String command : new String[] {"dlq list", "dlq show", "dlq redrive", "queues", "send-test"}) {
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
        assertThat(run.err().strip())
                .hasLineCount(1)
                .startsWith("herald: invalid configuration: api.port (HERALD_API_PORT)");
    }

    @Test
    void configPrintsTheEffectiveValues() throws Exception {
        Path file =
                Files.writeString(dir.resolve("herald.yaml"), "sqs:\n  queues: [alerts]\n  visibilityTimeout: 2m\n");

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

        assertThat(run.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(run.err().strip()).hasLineCount(1).contains("frobnicate").endsWith("(see `herald --help`)");
    }

    /** Walks the whole command tree, so a command added later is held to the same rules. */
    @Test
    void everyCommandExitsZeroForHelpAndTwoWithOneLineForAnUnknownOption() {
        List<List<String>> paths = new ArrayList<>();
        collect(Herald.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(10);
        for (List<String> path : paths) {
            List<String> help = new ArrayList<>(path);
            help.add("--help");
            assertThat(run(help.toArray(String[]::new)).exitCode())
                    .as(String.join(" ", help))
                    .isZero();
            List<String> bad = new ArrayList<>(path);
            bad.add("--no-such-option");
            CommandRun refused = run(bad.toArray(String[]::new));
            assertThat(refused.exitCode()).as(String.join(" ", bad)).isEqualTo(Herald.EXIT_USAGE);
            assertThat(refused.err().strip())
                    .as(String.join(" ", bad))
                    .hasLineCount(1)
                    .startsWith("herald: ")
                    .endsWith("--help`)");
        }
    }

    @Test
    void aCommandThatOnlyGroupsOthersIsAUsageErrorWhenRunAlone() {
        for (String group : new String[] {"dlq", "mailprog"}) {
            CommandRun run = run(group);

            assertThat(run.exitCode()).as(group).isEqualTo(Herald.EXIT_USAGE);
            assertThat(run.err().strip()).as(group).hasLineCount(1).startsWith("herald: a command is required: ");
        }
        assertThat(run().exitCode()).isEqualTo(Herald.EXIT_USAGE);
    }

    @Test
    void aBadValueIsAUsageError() {
        CommandRun limit = run("dlq", "list", "--limit", "0");
        CommandRun notANumber = run("dlq", "list", "--limit", "many");

        assertThat(limit.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(limit.err().strip())
                .isEqualTo("herald: --limit must be at least 1, not 0 (see `herald dlq list --help`)");
        assertThat(notANumber.exitCode()).isEqualTo(Herald.EXIT_USAGE);
        assertThat(notANumber.err().strip()).hasLineCount(1).contains("'many'");
    }

    /**
     * An endpoint that is not loopback and no credentials anywhere: one line, at once, and the EC2 metadata address
     * (pointed by the SDK's property at a loopback listener here) is never asked.
     */
    @Test
    void withoutCredentialsACommandFailsAtOnceInOneLine() throws Exception {
        for (String env : List.of(
                "AWS_ACCESS_KEY_ID",
                "AWS_PROFILE",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
            org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(env) == null, env + " is set here");
        }
        // TEST-NET-1, a documentation address: never reached, credentials are looked up before any call.
        Path file = Files.writeString(dir.resolve("remote.yaml"), "sqs:\n  endpoint: http://192.0.2.1:9324\n");
        java.util.Map<String, String> properties = java.util.Map.of(
                "aws.sharedCredentialsFile",
                dir.resolve("none").toString(),
                "aws.configFile",
                dir.resolve("none").toString());
        try (java.nio.channels.ServerSocketChannel metadata = java.nio.channels.ServerSocketChannel.open()) {
            metadata.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            metadata.configureBlocking(false);
            properties.forEach(System::setProperty);
            System.setProperty(
                    "aws.ec2MetadataServiceEndpoint",
                    "http://127.0.0.1:" + metadata.socket().getLocalPort());
            try {
                CommandRun run = run("queues", "--config", file.toString());

                assertThat(run.exitCode()).isEqualTo(1);
                assertThat(run.err().strip()).hasLineCount(1).contains("no AWS credentials found");
                assertThat(metadata.accept())
                        .as("a connection to the EC2 metadata address")
                        .isNull();
            } finally {
                properties.keySet().forEach(System::clearProperty);
                System.clearProperty("aws.ec2MetadataServiceEndpoint");
            }
        }
    }

    private static void collect(picocli.CommandLine command, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && sub.getCommandSpec().name().equals(name)) {
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                collect(sub, deeper, into);
            }
        });
    }
}
