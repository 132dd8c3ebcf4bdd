package io.herald.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wall and CPU time of one short-lived command, from {@code perf stat -e task-clock,duration_time}: task-clock counts
 * the CPU time of the command and every process it starts (perf inherits the counters into children), duration_time its
 * wall time; both to the microsecond. Reading /proc/PID/stat instead would give 10 ms ticks, too coarse for a 5 ms
 * program.
 */
final class PerfStat {

    static final Path BINARY = Path.of("/usr/bin/perf");

    /** One measured run. */
    record Sample(double wallMillis, double cpuMillis, int exitCode) {}

    private final Path output;

    private PerfStat(Path output) {
        this.output = output;
    }

    /** @throws IllegalStateException when perf is missing and cannot be installed (root: apt-get install linux-perf) */
    static PerfStat ensureInstalled(Path scratch, PrintStream progress) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new IllegalStateException(
                        "perf is not installed (" + BINARY + "); as root: apt-get install -y linux-perf");
            }
            progress.println("installing perf with apt-get (the mailprog drill measures CPU with it)");
            Process p = new ProcessBuilder("apt-get", "install", "-y", "-q", "linux-perf")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0 || !Files.isExecutable(BINARY)) {
                throw new IllegalStateException("perf could not be installed with apt-get install linux-perf");
            }
        }
        return new PerfStat(Files.createDirectories(scratch).resolve("perf-stat.csv"));
    }

    /** Runs {@code command} with exactly {@code env} as its environment, stdin /dev/null, and measures it. */
    Sample run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of(
                BINARY.toString(), "stat", "-x", ",", "-e", "task-clock,duration_time", "-o", output.toString(), "--"));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        int exit = pb.start().waitFor();
        return parse(Files.readString(output, StandardCharsets.UTF_8), exit);
    }

    /** perf's CSV: {@code value,unit,event,...}; task-clock in msec, duration_time in ns. */
    static Sample parse(String csv, int exit) {
        double cpu = Double.NaN;
        double wall = Double.NaN;
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length < 3 || line.startsWith("#")) {
                continue;
            }
            try {
                if (f[2].startsWith("task-clock")) {
                    cpu = Double.parseDouble(f[0]) * ("msec".equals(f[1]) ? 1 : 1e-6);
                } else if (f[2].startsWith("duration_time")) {
                    wall = Double.parseDouble(f[0]) / ("ns".equals(f[1]) || f[1].isEmpty() ? 1e6 : 1e3);
                }
            } catch (NumberFormatException notCounted) {
                // "<not counted>": leave it NaN, the caller reports it
            }
        }
        if (Double.isNaN(cpu) || Double.isNaN(wall)) {
            throw new IllegalStateException("perf stat did not report task-clock and duration_time: " + csv.strip());
        }
        return new Sample(wall, cpu, exit);
    }
}
