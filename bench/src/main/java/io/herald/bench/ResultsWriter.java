package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what a drill measured: NAME.json (figures, table, charts' data, date, machine), one PNG per chart, and for a
 * whole run summary.md with every table.
 */
public final class ResultsWriter {

    private final Path resultsDir;
    private final ChartPlotter plotter;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ResultsWriter(Path resultsDir, ChartPlotter plotter) {
        this.resultsDir = resultsDir;
        this.plotter = plotter;
    }

    public Path resultsDir() {
        return resultsDir;
    }

    /** Writes the JSON and the charts; returns the files written. */
    public List<Path> write(String drill, String command, Instant started, Duration took, DrillResult result) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(resultsDir);
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("drill", drill);
            document.put("command", command);
            document.put("date", started.toString());
            document.put("seconds", took.toMillis() / 1000.0);
            document.put("machine", machine());
            document.put("figures", result.figures());
            document.put("table", result.table());
            document.put("charts", result.charts());
            Path file = resultsDir.resolve(drill + ".json");
            Files.writeString(file, json.writeValueAsString(document) + "\n");
            written.add(file);
            for (Chart chart : result.charts()) {
                Path png = resultsDir.resolve(drill + "-" + chart.id() + ".png");
                plotter.plot(chart, png);
                written.add(png);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results under " + resultsDir + ": " + e.getMessage(), e);
        }
        return written;
    }

    /** summary.md: the command, date, machine, and every drill's table in the order run. */
    Path writeSummary(String command, Instant started, Duration took, List<Harness.DrillOutcome> outcomes) {
        Map<String, Object> machine = machine();
        StringBuilder md = new StringBuilder();
        md.append("# Herald benchmarks\n\n");
        md.append(String.format(
                Locale.ROOT,
                "`%s` on %s, %d min %02d s in all; %s cores, JDK %s (%s).%n%n",
                command,
                started.toString().replaceFirst("\\.\\d+Z$", "Z"),
                took.toMinutes(),
                took.toSecondsPart(),
                machine.get("cores"),
                machine.get("jdk"),
                machine.get("os")));
        for (Harness.DrillOutcome outcome : outcomes) {
            md.append("## ").append(outcome.drill().name()).append("\n\n");
            switch (outcome) {
                case Harness.DrillOutcome.Finished f -> {
                    md.append(f.result().table().strip()).append("\n\n");
                    for (String violation : f.result().violations()) {
                        md.append("**Broken invariant:** ").append(violation).append("\n\n");
                    }
                    for (Chart chart : f.result().charts()) {
                        String png = f.drill().name() + "-" + chart.id() + ".png";
                        md.append("![")
                                .append(chart.title())
                                .append("](")
                                .append(png)
                                .append(")\n\n");
                    }
                }
                case Harness.DrillOutcome.Failed f ->
                    md.append("**Did not finish:** ").append(f.reason()).append("\n\n");
                case Harness.DrillOutcome.Refused r ->
                    md.append("**Refused its options:** ").append(r.reason()).append("\n\n");
            }
        }
        Path file = resultsDir.resolve("summary.md");
        try {
            Files.createDirectories(resultsDir);
            Files.writeString(file, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jdk", System.getProperty("java.vendor") + " " + Runtime.version());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return machine;
    }
}
