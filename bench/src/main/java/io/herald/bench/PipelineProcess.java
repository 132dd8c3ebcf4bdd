package io.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/herald pipeline --config FILE} of the packaged image, started as {@link ShippedProcess} starts every
 * shipped command: the shipped defaults, a configuration that names only endpoints, queues and the providers to use.
 * Stopped with SIGTERM, as systemd stops it.
 */
final class PipelineProcess implements AutoCloseable {

    private final ShippedProcess process;

    private PipelineProcess(ShippedProcess process) {
        this.process = process;
    }

    /** What one pipeline process is pointed at. */
    record Endpoints(URI sqs, String queue, URI statusStore, String table, String sesBaseUrl, String sendGridBaseUrl) {}

    /**
     * The configuration file's text: endpoints, the queue, the table, and the two email providers of the fakes instead
     * of the outbox. The providers' rate limits are raised to what a production account allows (the shipped SES limit
     * is a new sandboxed account's 1 per second), which is the account's figure, not a Herald setting.
     */
    static String config(Endpoints e, int adminPort) {
        return config(e, adminPort, null);
    }

    /** @param receiveLinger {@code pipeline.receiveLinger} as written in YAML (e.g. 0s), or null for the shipped one */
    static String config(Endpoints e, int adminPort, String receiveLinger) {
        String linger = receiveLinger == null ? "" : "  receiveLinger: " + receiveLinger + "\n";
        return String.format(
                Locale.ROOT,
                """
                # Written by ./herald bench pipeline: endpoints and providers only; every other key is the default.
                sqs:
                  endpoint: %s
                  queues: [%s]
                status:
                  endpoint: %s
                  table: %s
                pipeline:
                  adminPort: %d
                %sproviders:
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
                """,
                e.sqs(),
                e.queue(),
                e.statusStore(),
                e.table(),
                adminPort,
                linger,
                e.sesBaseUrl(),
                e.sendGridBaseUrl());
    }

    /**
     * The packaged launcher: {@code -Dherald.image=DIR} names an image, else the newest under
     * {@value ShippedProcess#IMAGE_GLOB} from the working directory (./herald bench runs in the repository).
     *
     * @throws BadDrillArgumentException naming how to build one when there is none
     */
    static Path launcher() throws IOException {
        String named = System.getProperty("herald.image");
        return ShippedProcess.image(
                        Path.of("").toAbsolutePath(), named == null ? null : Path.of(named), "-Dherald.image=")
                .resolve("bin/herald");
    }

    /**
     * Starts the pipeline; returns at once (a cold run's clock starts here). {@link #awaitReady} waits for its admin
     * server's /readyz.
     *
     * @param jfrFile a JFR recording to write, or null to run exactly as shipped; with one it runs on the bench's JDK
     *     (the bundled runtime is linked without jdk.jfr), with the image's options and class path
     * @param receiveLinger {@code pipeline.receiveLinger} (e.g. 0s), or null for the shipped one
     */
    static PipelineProcess start(
            Path launcher,
            Path dir,
            String name,
            Endpoints endpoints,
            int adminPort,
            String receiveLinger,
            Path jfrFile)
            throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, config(endpoints, adminPort, receiveLinger));
        // The secret goes by environment, as the example configuration says to keep it.
        return new PipelineProcess(ShippedProcess.start(
                launcher.getParent().getParent(),
                "pipeline",
                config,
                dir,
                dir.resolve(name + ".log"),
                Map.of("HERALD_PROVIDERS_SENDGRID_API_KEY", "SG.bench-key"),
                jfrFile));
    }

    void awaitReady(int adminPort, Duration limit) throws InterruptedException {
        process.awaitReady(URI.create("http://127.0.0.1:" + adminPort + "/readyz"), limit);
    }

    /** {@link System#nanoTime()} when the process was started. */
    long startedNanos() {
        return process.startedNanos();
    }

    boolean alive() {
        return process.alive();
    }

    long pid() {
        return process.pid();
    }

    double cpuSeconds() {
        return process.cpuSeconds();
    }

    /** The last lines of its output (the log goes with the drill's scratch directory). */
    String tail() {
        return process.tail();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a long poll and its shutdown deadline. */
    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
