package io.herald.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (Debian's package), the HTTP load generator the api drill uses: a C program with one event loop per thread, so it
 * costs the 2 cores far less than a JVM client would, and it runs in a process of its own. Each connection sends its
 * next request when the last was answered (keep-alive HTTP/1.1), which is how gomail's figures were taken.
 */
final class Wrk {

    static final Path BINARY = Path.of("/usr/bin/wrk");

    /**
     * One wrk run: what it counted, its latency percentiles in milliseconds, and the CPU seconds wrk itself used (user
     * + system; NaN when not measured), so a reader sees whether the load generator was the limit.
     */
    record Run(
            long requests,
            double seconds,
            double requestsPerSecond,
            double p50Millis,
            double p99Millis,
            long non2xx,
            long socketErrors,
            double cpuSeconds) {

        /** wrk's CPU over the run's wall time: 1.0 is one core busy throughout. */
        double cpuCores() {
            return cpuSeconds / seconds;
        }
    }

    private final Path scripts;

    private Wrk(Path scripts) {
        this.scripts = scripts;
    }

    /**
     * Finds wrk, installing it with apt-get when it is missing and this runs as root (as other scripts here install
     * Chromium).
     *
     * @param scratch where the request scripts go
     * @throws IllegalStateException when wrk is missing and cannot be installed
     */
    static Wrk ensureInstalled(Path scratch, PrintStream progress) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            boolean root = "root".equals(System.getProperty("user.name"));
            if (!root) {
                throw new IllegalStateException(
                        "wrk is not installed (" + BINARY + "); as root: apt-get install -y wrk");
            }
            progress.println("installing wrk with apt-get (the api drill's load generator)");
            Process p = new ProcessBuilder("apt-get", "install", "-y", "-q", "wrk")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || !Files.isExecutable(BINARY)) {
                String[] lines = out.strip().split("\n");
                throw new IllegalStateException("wrk could not be installed with apt-get: " + lines[lines.length - 1]);
            }
        }
        return new Wrk(Files.createDirectories(scratch));
    }

    /** POSTs {@code body} as JSON to {@code url} over {@code connections} connections for {@code duration}. */
    Run post(String url, String body, int connections, Duration duration) throws IOException, InterruptedException {
        Path script = scripts.resolve("post-" + Integer.toHexString(body.hashCode()) + ".lua");
        if (!Files.exists(script)) {
            Files.writeString(
                    script,
                    "wrk.method = \"POST\"\n"
                            + "wrk.body = " + luaString(body) + "\n"
                            + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        }
        // One wrk thread per core at most: more would only compete with the server for the 2 cores.
        int threads = Math.min(connections, Math.min(2, Runtime.getRuntime().availableProcessors()));
        // bash's `times` prints the CPU its children used after wrk exits, to the millisecond; no other tool needed.
        List<String> command = List.of(
                "/bin/bash",
                "-c",
                "\"$@\"; rc=$?; times; exit $rc",
                "wrk",
                BINARY.toString(),
                "-t" + threads,
                "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.toString(),
                url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk failed: " + out.strip());
        }
        Run run = parse(out);
        return new Run(
                run.requests(),
                run.seconds(),
                run.requestsPerSecond(),
                run.p50Millis(),
                run.p99Millis(),
                run.non2xx(),
                run.socketErrors(),
                childCpuSeconds(out));
    }

    /**
     * The children's user and system time from bash's {@code times} (its second line, e.g. {@code 0m1.234s 0m0.567s}),
     * summed; NaN when absent.
     */
    static double childCpuSeconds(String output) {
        Matcher m = Pattern.compile("(?m)^(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s$").matcher(output);
        double last = Double.NaN;
        while (m.find()) {
            last = Long.parseLong(m.group(1)) * 60
                    + Double.parseDouble(m.group(2))
                    + Long.parseLong(m.group(3)) * 60
                    + Double.parseDouble(m.group(4));
        }
        return last;
    }

    /** Reads wrk 4's report (its --latency distribution, totals, errors). */
    static Run parse(String report) {
        Matcher total =
                Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)").matcher(report);
        if (!total.find()) {
            throw new IllegalStateException("wrk's report has no request count: " + report.strip());
        }
        long requests = Long.parseLong(total.group(1));
        double seconds = millis(total.group(2), total.group(3)) / 1000;
        long non2xx = firstLong(report, "Non-2xx or 3xx responses: (\\d+)");
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(report);
        long socketErrors = 0;
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(socket.group(g));
            }
        }
        return new Run(
                requests,
                seconds,
                requests / seconds,
                percentile(report, "50%"),
                percentile(report, "99%"),
                non2xx,
                socketErrors,
                Double.NaN);
    }

    private static double percentile(String report, String label) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(label) + "\\s+([\\d.]+)(us|ms|s|m)\\b")
                .matcher(report);
        if (!m.find()) {
            throw new IllegalStateException("wrk's report has no " + label + " latency (was --latency given?)");
        }
        return millis(m.group(1), m.group(2));
    }

    private static long firstLong(String report, String regex) {
        Matcher m = Pattern.compile(regex).matcher(report);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double millis(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            default -> throw new IllegalStateException("unknown unit " + unit);
        };
    }

    private static String luaString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
                out.append(String.format(Locale.ROOT, "\\%03d", c));
            } else {
                out.append((char) c);
            }
        }
        return out.append('"').toString();
    }
}
