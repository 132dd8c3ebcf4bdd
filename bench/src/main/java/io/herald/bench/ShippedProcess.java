package io.herald.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bin/herald COMMAND --config FILE} of a packaged image (packaging/target/herald-VERSION, as {@code ./herald
 * build} makes it), as a site runs it: its own process, the bundled runtime, the launcher's own JVM flags, no
 * {@code HERALD_*} or {@code AWS_*} variables but those given, its output in a log file. The one way the drills start
 * the shipped product ({@link ShippedApiProcess}, {@link PipelineProcess}). Only with a JFR recording asked for does it
 * run on the bench's JDK instead, because the bundled runtime is linked without jdk.jfr.
 */
final class ShippedProcess implements AutoCloseable {

    /** Where a built image's launcher is, relative to the repository: {@code ./herald build} makes it. */
    static final String IMAGE_GLOB = "packaging/target/herald-*/bin/herald";

    private final String command;
    private final Process process;
    private final Path log;
    private final long started;

    private ShippedProcess(String command, Process process, Path log, long started) {
        this.command = command;
        this.process = process;
        this.log = log;
        this.started = started;
    }

    /**
     * The packaged image: {@code named} (a directory with bin/herald) if given, else the newest image under
     * {@code repo/packaging/target}.
     *
     * @throws BadDrillArgumentException naming how to build one when there is none
     */
    static Path image(Path repo, Path named, String option) throws IOException {
        if (named != null) {
            if (!Files.isExecutable(named.resolve("bin/herald"))) {
                throw new BadDrillArgumentException(option + " " + named + " has no bin/herald (a directory like "
                        + "packaging/target/herald-VERSION, built by ./herald build)");
            }
            return named.toAbsolutePath();
        }
        Path target = repo.resolve("packaging/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> dirs = Files.list(target)) {
                List<Path> found = dirs.filter(d -> d.getFileName().toString().startsWith("herald-"))
                        .filter(d -> Files.isExecutable(d.resolve("bin/herald")))
                        .sorted(Comparator.comparing(ShippedProcess::modified).reversed())
                        .toList();
                if (!found.isEmpty()) {
                    return found.getFirst().toAbsolutePath();
                }
            }
        }
        throw new BadDrillArgumentException("no packaged Herald under " + target.toAbsolutePath() + " (" + IMAGE_GLOB
                + "): build it with ./herald build, or name one with " + option + " DIR");
    }

    private static long modified(Path dir) {
        try {
            return Files.getLastModifiedTime(dir.resolve("bin/herald")).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Starts {@code bin/herald command --config config}; returns at once (a cold run's clock starts here).
     *
     * @param environment variables to set besides the inherited ones (secrets go this way, as the example configuration
     *     says to keep them)
     * @param jfrFile a JFR recording to write, or null to run exactly as shipped
     */
    static ShippedProcess start(
            Path image,
            String command,
            Path config,
            Path workDir,
            Path log,
            Map<String, String> environment,
            Path jfrFile)
            throws IOException {
        List<String> line = new ArrayList<>();
        if (jfrFile == null) {
            line.add(image.resolve("bin/herald").toString());
        } else {
            line.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
            line.add("@" + image.resolve("runtime/herald.options"));
            line.add("-XX:StartFlightRecording=settings=profile,filename=" + jfrFile.toAbsolutePath());
            line.addAll(List.of("-cp", image.resolve("lib/herald.jar").toString(), "io.herald.cli.Herald"));
        }
        line.addAll(List.of(command, "--config", config.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(line)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_") || k.startsWith("AWS_"));
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        return new ShippedProcess(command, builder.start(), log, started);
    }

    /** Waits until {@code readyz} answers 200; fails naming the log's last lines if it does not, or exits. */
    void awaitReady(URI readyz, Duration limit) throws InterruptedException {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            Await.until(() -> !process.isAlive() || ready(http, readyz), limit, "herald " + command + "'s /readyz");
        } catch (IllegalStateException e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(e.getMessage() + "; its last lines: " + tail() + " (in " + log + ")", e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "bin/herald " + command + " exited with " + process.exitValue() + ": " + tail());
        }
    }

    static boolean ready(HttpClient http, URI readyz) {
        try {
            return http.send(
                                    HttpRequest.newBuilder(readyz)
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link System#nanoTime()} when the process was started. */
    long startedNanos() {
        return started;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The JVM's own: the launcher execs it. */
    long pid() {
        return process.pid();
    }

    /** CPU seconds the process has used so far (user + system, all threads). */
    double cpuSeconds() {
        return ProcCpu.seconds(process.pid());
    }

    Path log() {
        return log;
    }

    /** The last lines of its output. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty()
                    ? "(no output)"
                    : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(its log " + log + " cannot be read)";
        }
    }

    /** SIGTERM, as systemd stops it (a JFR recording is written then); SIGKILL after {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            System.err.println("bench: herald " + command + " " + process.pid() + " did not stop within "
                    + grace.toSeconds() + " s of SIGTERM; see " + log);
        }
    }

    /** {@link #stop} with the longest a stop may take: a long poll and the shutdown deadline. */
    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(45));
    }
}
