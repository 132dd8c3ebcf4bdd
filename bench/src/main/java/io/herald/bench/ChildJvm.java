package io.herald.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A main class of the bench classpath running in a JVM of its own, so what it serves and what measures it do not share
 * a heap, a JIT or a garbage collector. The child tells it is ready by printing one line on stdout; it stops when its
 * stdin closes, so it cannot outlive the drill even if the drill's JVM dies. Its stderr goes to the drill's.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final String readyLine;

    private ChildJvm(Process process, String readyLine) {
        this.process = process;
        this.readyLine = readyLine;
    }

    /**
     * @param jvmOptions e.g. heap or JFR options; the parent's --enable-native-access and
     *     --sun-misc-unsafe-memory-access flags are passed on as well
     * @param startup longest wait for the ready line
     */
    static ChildJvm start(Class<?> main, List<String> jvmOptions, List<String> args, Duration startup)
            throws IOException, InterruptedException {
        return start(main, jvmOptions, args, startup, System.getProperty("java.class.path"));
    }

    /** @param classpath the child's own, e.g. this one with a module's jar swapped for an older build */
    static ChildJvm start(Class<?> main, List<String> jvmOptions, List<String> args, Duration startup, String classpath)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        for (String flag :
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--enable-native-access") || flag.startsWith("--sun-misc-unsafe-memory-access")) {
                command.add(flag);
            }
        }
        // The bench names its logging set-up (Bench.main): a child that searched for logback.xml would find the
        // cli jar's too, and logback would print that on stdout, before the child's ready line.
        String logging = System.getProperty("logback.configurationFile");
        if (logging != null) {
            command.add("-Dlogback.configurationFile=" + logging);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(main.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(startup.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            line = null;
        }
        if (line == null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(main.getSimpleName() + " did not start within " + startup.toSeconds()
                    + " s (its errors are above)");
        }
        return new ChildJvm(process, line);
    }

    /** The first line the child printed. */
    String readyLine() {
        return readyLine;
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: the child gets no chance to finish anything; returns its exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + process.pid() + " did not exit within 10 s of kill -9");
        }
        return process.exitValue();
    }

    /** Closes the child's stdin (its signal to stop) and waits for it, killing it after 15 s. */
    @Override
    public void close() throws InterruptedException {
        try (OutputStream in = process.getOutputStream()) {
            in.flush();
        } catch (IOException alreadyGone) {
            // the child closed its end: it is stopping anyway
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** In the child: blocks until the parent closes stdin (or dies). */
    static void awaitParentGone() throws IOException {
        while (System.in.read() >= 0) {
            // the parent writes nothing; reading only notices the end
        }
    }
}
