package io.herald.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/**
 * {@code ./herald bench <drill> [options]} and {@code ./herald bench all}: the composition root of the benchmark
 * harness. Results go to bench/results (or {@code -Dherald.bench.results=DIR}).
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) {
        // Before the first AWT class loads: charts are drawn on machines without a display.
        System.setProperty("java.awt.headless", "true");
        // The bench's own logging set-up, under its own name: the cli jar carries a logback.xml too, and two of
        // them make logback print a warning on stdout, where a child JVM's ready line is expected.
        System.setProperty("logback.configurationFile", "logback-bench.xml");
        Path results = Path.of(System.getProperty("herald.bench.results", "bench/results"));
        Harness harness = new Harness(
                Drills.standard(),
                new ResultsWriter(results, new ChartPlotter()),
                System.out,
                System.err,
                Clock.systemUTC());
        System.exit(harness.run(Arrays.asList(args)));
    }
}
