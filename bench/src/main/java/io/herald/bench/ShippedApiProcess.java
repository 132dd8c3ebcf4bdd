package io.herald.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code bin/herald api --config FILE} of a packaged image, started as {@link ShippedProcess} starts every shipped
 * command, ready once /readyz answers 200 (its queues and status table answer).
 */
final class ShippedApiProcess implements AutoCloseable {

    private final ShippedProcess process;
    private final URI url;
    private final Duration startup;

    private ShippedApiProcess(ShippedProcess process, URI url, Duration startup) {
        this.process = process;
        this.url = url;
        this.startup = startup;
    }

    /** The packaged image under {@code repo/packaging/target} (the newest with bin/herald). */
    static Path findImage(Path repo) throws IOException {
        return ShippedProcess.image(repo, null, "--image");
    }

    static void checkImage(Path image, String option) throws IOException {
        ShippedProcess.image(image, image, option);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts the API and waits until /readyz answers 200.
     *
     * @param port the port the configuration names, for /readyz
     * @param jfrFile a JFR recording to write, or null to run exactly as shipped
     */
    static ShippedApiProcess start(Path image, Path config, int port, Path log, Path jfrFile, Duration limit)
            throws IOException, InterruptedException {
        ShippedProcess process =
                ShippedProcess.start(image, "api", config, log.toAbsolutePath().getParent(), log, Map.of(), jfrFile);
        URI url = URI.create("http://127.0.0.1:" + port);
        process.awaitReady(url.resolve("/readyz"), limit);
        return new ShippedApiProcess(process, url, Duration.ofNanos(System.nanoTime() - process.startedNanos()));
    }

    URI url() {
        return url;
    }

    /** From the command to the first 200 from /readyz. */
    Duration startup() {
        return startup;
    }

    /** The JVM's own: the launcher execs it. */
    long pid() {
        return process.pid();
    }

    /** CPU seconds the API's process has used so far (user + system, all threads). */
    double cpuSeconds() {
        return process.cpuSeconds();
    }

    static double cpuSeconds(ProcessHandle handle) {
        return handle.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** SIGTERM, as systemd stops it (a JFR recording is written then); SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.stop(Duration.ofSeconds(30));
    }
}
