package io.herald.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a running process has used so far, user plus system, from {@code /proc/PID/stat} (utime and stime, fields 14
 * and 15, in clock ticks). Ticks are 10 ms: coarse for a command that lasts milliseconds (PerfStat covers those), fine
 * for a process that drains for seconds.
 */
final class ProcCpu {

    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcCpu() {}

    /** @throws IllegalStateException when the process is gone or /proc cannot be read */
    static double seconds(long pid) {
        try {
            return parse(
                    Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII),
                    TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the CPU time of process " + pid + " from /proc: " + e.getMessage(), e);
        }
    }

    /**
     * utime + stime of one /proc/PID/stat line in seconds. The command name (field 2) is in parentheses and may hold
     * spaces and parentheses itself, so fields are counted after the last ')'.
     */
    static double parse(String stat, long ticksPerSecond) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalStateException("not a /proc/PID/stat line: " + stat.strip());
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
        if (fields.length < 13) {
            throw new IllegalStateException("a /proc/PID/stat line without utime and stime: " + stat.strip());
        }
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) ticksPerSecond;
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100; // USER_HZ on every Linux port that matters
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
