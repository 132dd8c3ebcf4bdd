package io.herald.slurme2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A daemon this test started as a child process, running in the foreground so that the PID kept here is the daemon's
 * own: stopping it never needs a PID file or a search by name.
 */
final class Daemon {

    private final String name;
    private final Process process;
    private final Path output;

    private Daemon(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /** Starts the command with its stdout and stderr going to {@code output}. */
    static Daemon start(String name, HostCommand command, Path output) {
        try {
            Process p = command.builder()
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Progress.say("started " + name + " (pid " + p.pid() + ")");
            return new Daemon(name, p, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Throws, with the end of its output, when the daemon has exited: a wait for it would be in vain. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    name + " exited with " + process.exitValue() + "; its output ends:\n" + tail(output, 30));
        }
    }

    /** SIGTERM to this PID, then SIGKILL after a bound; waits for the exit either way. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                Progress.say(name + " (pid " + pid() + ") ignored SIGTERM for 20 s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Progress.say("stopped " + name + " (pid " + pid() + ")");
    }

    /** The last {@code lines} lines of a log file, or a note that there is none. */
    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file + ")";
            }
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
