package io.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bin/herald pipeline --config FILE} of the packaged image, as a site runs it: its own
 * process and bundled runtime, the shipped defaults, a configuration that names only endpoints,
 * queues and the providers to use. Stopped with SIGTERM, as systemd stops it.
 */
final class PipelineProcess implements AutoCloseable {

    /** Where a built image's launcher is, relative to the repository: `./herald build` makes it. */
    static final String IMAGE_GLOB = "packaging/target/herald-*/bin/herald";

    private final Process process;
    private final Path log;
    private final long started;

    private PipelineProcess(Process process, Path log, long started) {
        this.process = process;
        this.log = log;
        this.started = started;
    }

    /** What one pipeline process is pointed at. */
    record Endpoints(URI sqs, String queue, URI statusStore, String table, String sesBaseUrl, String sendGridBaseUrl) {
    }

    /**
     * The configuration file's text: endpoints, the queue, the table, and the two email
     * providers of the fakes instead of the outbox. The providers' rate limits are raised to
     * what a production account allows (the shipped SES limit is a new sandboxed account's
     * 1 per second), which is the account's figure, not a Herald setting.
     */
    static String config(Endpoints e, int adminPort) {
        return String.format(Locale.ROOT, """
                # Written by ./herald bench pipeline: endpoints and providers only; every other key is the default.
                sqs:
                  endpoint: %s
                  queues: [%s]
                status:
                  endpoint: %s
                  table: %s
                pipeline:
                  adminPort: %d
                providers:
                  outbox:
                    enabled: false
                  ses:
                    enabled: true
                    endpoint: %s
                    rateLimit: 100000
                  sendgrid:
                    enabled: true
                    baseUrl: %s
                    rateLimit: 100000
                """, e.sqs(), e.queue(), e.statusStore(), e.table(), adminPort, e.sesBaseUrl(), e.sendGridBaseUrl());
    }

    /**
     * The packaged launcher: {@code -Dherald.image=DIR} names an image, else the newest under
     * {@value #IMAGE_GLOB} from the working directory (./herald bench runs in the repository).
     *
     * @throws IllegalStateException naming how to build one when there is none
     */
    static Path launcher() throws IOException {
        String named = System.getProperty("herald.image");
        if (named != null) {
            Path bin = Path.of(named, "bin", "herald");
            if (!Files.isExecutable(bin)) {
                throw new IllegalStateException("-Dherald.image=" + named + " holds no executable bin/herald");
            }
            return bin;
        }
        Path target = Path.of("packaging", "target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> dirs = Files.list(target)) {
                List<Path> found = dirs.filter(d -> d.getFileName().toString().startsWith("herald-"))
                        .map(d -> d.resolve("bin").resolve("herald")).filter(Files::isExecutable)
                        .sorted(Comparator.comparing(PipelineProcess::modified).reversed()).toList();
                if (!found.isEmpty()) {
                    return found.getFirst().toAbsolutePath();
                }
            }
        }
        throw new IllegalStateException("no packaged Herald under " + target.toAbsolutePath() + " (" + IMAGE_GLOB
                + "): build it with ./herald build, or name one with -Dherald.image=DIR");
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Starts the pipeline; returns at once (a cold run's clock starts here). {@link #awaitReady}
     * waits for its admin server's /readyz.
     *
     * @param jfrFile a JFR recording to write, or null to run exactly as shipped; with one it runs on
     *                the bench's JDK (the bundled runtime is linked without jdk.jfr), with the image's
     *                options and class path
     */
    static PipelineProcess start(Path launcher, Path dir, String name, Endpoints endpoints, int adminPort,
                                 Path jfrFile) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, config(endpoints, adminPort));
        Path log = dir.resolve(name + ".log");
        List<String> command = new java.util.ArrayList<>();
        if (jfrFile == null) {
            command.add(launcher.toString());
        } else {
            Path image = launcher.toAbsolutePath().getParent().getParent();
            command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
            command.add("@" + image.resolve("runtime/herald.options"));
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + jfrFile.toAbsolutePath());
            command.addAll(List.of("-cp", image.resolve("lib/herald.jar").toString(), "io.herald.cli.Herald"));
        }
        command.addAll(List.of("pipeline", "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_") || k.startsWith("AWS_"));
        // The secret goes by environment, as the example configuration says to keep it.
        builder.environment().put("HERALD_PROVIDERS_SENDGRID_API_KEY", "SG.bench-key");
        long started = System.nanoTime();
        return new PipelineProcess(builder.start(), log, started);
    }

    void awaitReady(int adminPort, Duration limit) throws InterruptedException {
        URI readyz = URI.create("http://127.0.0.1:" + adminPort + "/readyz");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            Await.until(() -> !process.isAlive() || ready(http, readyz), limit, "the pipeline's /readyz");
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; its last lines: " + tail(), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("bin/herald pipeline exited with " + process.exitValue() + ": "
                    + lastLines(log));
        }
    }

    private static boolean ready(HttpClient http, URI readyz) {
        try {
            return http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
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

    long pid() {
        return process.pid();
    }

    double cpuSeconds() {
        return ProcCpu.seconds(process.pid());
    }

    /** The last lines of its output (the log goes with the drill's scratch directory). */
    String tail() {
        return lastLines(log);
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a long poll and its shutdown deadline. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(45, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(its log " + log + " cannot be read)";
        }
    }
}
