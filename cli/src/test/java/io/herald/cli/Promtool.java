package io.herald.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's own checker, the real one (Debian's {@code prometheus} package). Installed with apt-get when missing and
 * running as root; otherwise the calling test is skipped with one line.
 */
record Promtool(Path binary) {

    private static final Path DEBIAN = Path.of("/usr/bin/promtool");

    /** The installed promtool, installing it first if missing and root; skips the test otherwise. */
    static Promtool require() throws IOException, InterruptedException {
        if (!Files.isExecutable(DEBIAN)
                && "0".equals(run(List.of("id", "-u"), null).out().strip())) {
            // The package also brings a Prometheus server; nothing here starts it.
            Result install = run(List.of("apt-get", "install", "-y", "--no-install-recommends", "prometheus"), null);
            if (install.code() != 0) {
                System.err.println("apt-get install prometheus failed: " + install.out());
            }
        }
        Assumptions.assumeTrue(
                Files.isExecutable(DEBIAN),
                "promtool missing: install Debian's `prometheus` package (as root) to run this test");
        return new Promtool(DEBIAN);
    }

    /** promtool with these arguments, standard input from {@code stdin} when given. */
    Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        return run(command, stdin);
    }

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Result(int code, String out) {}

    private static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(
                        stdin == null
                                ? ProcessBuilder.Redirect.from(
                                        Path.of("/dev/null").toFile())
                                : ProcessBuilder.Redirect.PIPE)
                .start();
        if (stdin != null) {
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
        return new Result(process.exitValue(), out);
    }
}
