package io.herald.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/herald api --config FILE} of a packaged image (packaging/target/herald-VERSION, as
 * {@code ./herald build} makes it), as a site runs it: its own process, the bundled runtime, the
 * launcher's own JVM flags, no {@code HERALD_*} variables but the configuration file, its output in
 * a log file. Only with a JFR recording asked for does it run on the bench's JDK instead, because
 * the bundled runtime is linked without jdk.jfr.
 */
final class ShippedApiProcess implements AutoCloseable {

    private final Process process;
    private final URI url;
    private final Path log;
    private final Duration startup;

    private ShippedApiProcess(Process process, URI url, Path log, Duration startup) {
        this.process = process;
        this.url = url;
        this.log = log;
        this.startup = startup;
    }

    /** The packaged image under {@code repo/packaging/target}: the one directory there with bin/herald. */
    static Path findImage(Path repo) throws IOException {
        Path target = repo.resolve("packaging/target");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(target, "herald-*")) {
                for (Path dir : dirs) {
                    if (Files.isExecutable(dir.resolve("bin/herald"))) {
                        found.add(dir);
                    }
                }
            }
        }
        if (found.size() != 1) {
            throw new BadDrillArgumentException("api: "
                    + (found.isEmpty() ? "no packaged image" : "more than one image") + " with bin/herald in " + target + "; build it with ./herald build, or name one with --image DIR");
        }
        return found.getFirst();
    }

    static void checkImage(Path image, String option) {
        if (!Files.isExecutable(image.resolve("bin/herald"))) {
            throw new BadDrillArgumentException("api: " + option + " " + image + " has no bin/herald (a directory "
                    + "like packaging/target/herald-VERSION, built by ./herald build)");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts the API and waits until /readyz answers 200 (its queues and status table answer).
     *
     * @param port    the port the configuration names, for /readyz
     * @param jfrFile a JFR recording to write, or null to run exactly as shipped
     */
    static ShippedApiProcess start(Path image, Path config, int port, Path log, Path jfrFile, Duration limit)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (jfrFile == null) {
            command.add(image.resolve("bin/herald").toString());
        } else {
            command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
            command.add("@" + image.resolve("runtime/herald.options"));
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + jfrFile.toAbsolutePath());
            command.addAll(List.of("-cp", image.resolve("lib/herald.jar").toString(), "io.herald.cli.Herald"));
        }
        command.addAll(List.of("api", "--config", config.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("HERALD_"));
        long started = System.nanoTime();
        Process process = builder.start();
        URI url = URI.create("http://127.0.0.1:" + port);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            Await.until(() -> !process.isAlive() || ready(http, url), limit, "herald api to answer /readyz");
        } catch (IllegalStateException e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(e.getMessage() + "; its output is in " + log);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("herald api exited with " + process.exitValue() + "; its output is in "
                    + log);
        }
        return new ShippedApiProcess(process, url, log, Duration.ofNanos(System.nanoTime() - started));
    }

    private static boolean ready(HttpClient http, URI url) {
        try {
            return http.send(HttpRequest.newBuilder(url.resolve("/readyz")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    URI url() {
        return url;
    }

    /** From the command to the first 200 from /readyz. */
    Duration startup() {
        return startup;
    }

    /** CPU seconds the API's process has used so far (user + system, all threads). */
    double cpuSeconds() {
        return cpuSeconds(process.toHandle());
    }

    static double cpuSeconds(ProcessHandle handle) {
        return handle.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** SIGTERM, as systemd stops it (a JFR recording is written then); SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            System.err.println("api: herald api " + process.pid() + " did not stop within 30 s of SIGTERM; see " + log);
        }
    }
}
