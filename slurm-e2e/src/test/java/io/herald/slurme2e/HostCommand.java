package io.herald.slurme2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One command on this machine (apt-get, useradd, sbatch, sacct, ...), run to its end within a bound, its output
 * captured. Commands get exactly the environment given (plus PATH), as the admin's shell would.
 */
record HostCommand(List<String> argv, Map<String, String> env, Path dir, Duration timeout) {

    /** What a finished command said. */
    record Outcome(List<String> argv, int exit, String stdout, String stderr) {

        boolean ok() {
            return exit == 0;
        }

        /** Stdout, or an error naming the command, its exit code and what it printed on stderr. */
        String stdoutOrThrow() {
            if (!ok()) {
                throw new IllegalStateException(describe());
            }
            return stdout;
        }

        String describe() {
            return String.join(" ", argv) + " exited " + exit + ": " + (stderr.isBlank() ? stdout : stderr).strip();
        }
    }

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static HostCommand of(String... argv) {
        return new HostCommand(List.of(argv), Map.of(), null, Duration.ofMinutes(2));
    }

    HostCommand withEnv(Map<String, String> more) {
        return new HostCommand(argv, more, dir, timeout);
    }

    HostCommand in(Path directory) {
        return new HostCommand(argv, env, directory, timeout);
    }

    HostCommand within(Duration bound) {
        return new HostCommand(argv, env, dir, bound);
    }

    /** The same command run as another user, by exec (setpriv), so no extra process sits in between. */
    HostCommand as(String user) {
        List<String> wrapped =
                new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups"));
        wrapped.addAll(argv);
        return new HostCommand(wrapped, env, dir, timeout);
    }

    ProcessBuilder builder() {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().put("PATH", PATH);
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        return pb;
    }

    Outcome run() {
        Process p;
        try {
            p = builder()
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            return new Outcome(argv, p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the output of " + String.join(" ", argv), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }
}
