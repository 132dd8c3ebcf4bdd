package io.herald.slurme2e;

import java.time.Duration;
import java.time.Instant;

/** Progress lines on stdout (the CI log), with the seconds since the test class was loaded. */
final class Progress {

    private static final Instant START = Instant.now();

    private Progress() {}

    static void say(String line) {
        long ms = Duration.between(START, Instant.now()).toMillis();
        System.out.printf("[slurm-e2e %4d.%ds] %s%n", ms / 1000, (ms % 1000) / 100, line);
        System.out.flush();
    }
}
