package io.herald.bench;

import io.herald.cli.Herald;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code herald serve} as a site runs it: the real command in a JVM of its own, configured only through
 * {@code HERALD_*} variables, its output in a log file. Killed with SIGKILL, it gets no chance to flush anything.
 */
final class ServeProcess implements AutoCloseable {

    private final Process process;
    private final URI api;
    private final Path log;

    private ServeProcess(Process process, URI api, Path log) {
        this.process = process;
        this.api = api;
        this.log = log;
    }

    /**
     * Starts {@code herald serve --data-dir dataDir} and waits until its API answers /readyz with 200.
     *
     * @param environment the {@code HERALD_*} settings besides the ports, which are fixed here for all restarts
     */
    static ServeProcess start(Path dataDir, Ports ports, Map<String, String> environment, Path log, Duration limit)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        for (String flag :
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--enable-native-access") || flag.startsWith("--sun-misc-unsafe-memory-access")) {
                command.add(flag);
            }
        }
        // The bench's logging set-up under its own name (see Bench.main).
        command.addAll(List.of(
                "-Xmx512m",
                "-Dlogback.configurationFile=logback-bench.xml",
                "-cp",
                System.getProperty("java.class.path"),
                Herald.class.getName(),
                "serve",
                "--data-dir",
                dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dataDir.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("HERALD_"));
        builder.environment().putAll(environment);
        builder.environment().put("HERALD_API_PORT", Integer.toString(ports.api()));
        builder.environment().put("HERALD_LOCAL_SQS_PORT", Integer.toString(ports.sqs()));
        builder.environment().put("HERALD_LOCAL_DYNAMODB_PORT", Integer.toString(ports.dynamoDb()));
        Process process = builder.start();
        ServeProcess serve = new ServeProcess(process, URI.create("http://127.0.0.1:" + ports.api()), log);
        try {
            Await.until(() -> !process.isAlive() || serve.ready(), limit, "herald serve to answer /readyz");
        } catch (IllegalStateException e) {
            serve.kill();
            throw new IllegalStateException(e.getMessage() + "; its output is in " + log);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("herald serve exited with " + process.exitValue() + ": " + lastLine(log));
        }
        return serve;
    }

    URI api() {
        return api;
    }

    long pid() {
        return process.pid();
    }

    private boolean ready() {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            return ShippedProcess.ready(http, api.resolve("/readyz"));
        }
    }

    /** kill -9; returns its exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("herald serve " + process.pid() + " did not exit within 10 s of kill -9");
        }
        return process.exitValue();
    }

    /** SIGTERM, as systemd stops it; SIGKILL if it has not stopped after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (IOException e) {
            return "(its log " + log + " cannot be read)";
        }
    }

    /** The ports serve listens on, the same for every restart, as a site's configuration keeps them. */
    record Ports(int api, int sqs, int dynamoDb) {

        static Ports free() throws IOException {
            return new Ports(freePort(), freePort(), freePort());
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
