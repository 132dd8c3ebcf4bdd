package io.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * {@code ./herald bench soak}: a million notifications (issue 13's soak) through the packaged API and pipeline with the
 * status store on and one provider failing for a minute in the middle; 0 lost, duplicates only within the failure's
 * bound, final statuses in the table, and the memory of both processes sampled and judged flat or not. Run only by
 * name: it takes far longer than {@code bench all}. Writes bench/results/soak-DATE.csv (samples), .png (memory over
 * time) and .md (summary) besides soak.json.
 */
final class SoakDrill implements Drill {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm", Locale.ROOT);

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public String description() {
        return "1,000,000 notifications through the packaged api and pipeline (POST /v1/notifications, 50 "
                + "receivers each), status store on, one fake provider answering 500 for 60 s in the middle; "
                + "checks 0 lost, duplicates within the failure's bound, final statuses; samples RSS and heap "
                + "(options: --notifications N, --fail-seconds S, --receivers R, --producers P, --backlog B, "
                + "--sample-seconds S, --status-sample N, --image DIR, --stop-after MINUTES to stop producing then and "
                + "check what was sent; an hour or more on a busy machine; "
                + "not part of `all`)";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options = DrillOptions.parse(
                name(),
                context.args(),
                Set.of(
                        "--notifications",
                        "--fail-seconds",
                        "--receivers",
                        "--producers",
                        "--backlog",
                        "--sample-seconds",
                        "--status-sample",
                        "--image",
                        "--stop-after"));
        Map<String, String> given = options.given();
        Path image = given.containsKey("--image")
                ? Path.of(given.get("--image")).toAbsolutePath()
                : ShippedApiProcess.findImage(Path.of("").toAbsolutePath());
        ShippedApiProcess.checkImage(image, "--image");
        int receivers = options.intOption("--receivers", 50, 1);
        if (receivers > 50) {
            throw new BadDrillArgumentException(
                    "soak: --receivers must be at most 50 (api.maxReceiversPerRequest), " + "got " + receivers);
        }
        SoakRun.Settings settings = new SoakRun.Settings(
                options.intOption("--notifications", 1_000_000, 100),
                receivers,
                options.intOption("--producers", 4, 1),
                options.secondsOption("--fail-seconds", Duration.ofSeconds(60), 1),
                options.intOption("--backlog", 20_000, 100),
                options.secondsOption("--sample-seconds", Duration.ofSeconds(5), 1),
                options.intOption("--status-sample", 1000, 1),
                image,
                given.containsKey("--stop-after") ? Duration.ofMinutes(options.intOption("--stop-after", 0, 1)) : null);
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        String stamp = "soak-" + STAMP.format(started);
        Files.createDirectories(context.resultsDir());
        Path samplesFile = context.resultsDir().resolve(stamp + ".csv");
        context.progress().println("bench: soak: samples go to " + samplesFile + " as they are taken");
        SoakRun.SoakReport outcome;
        try (ScratchDir scratch = new ScratchDir("herald-soak")) {
            outcome = new SoakRun(settings, scratch.path(), samplesFile, context.progress()).run();
        }
        return result(settings, outcome, context.resultsDir(), stamp, started);
    }

    static DrillResult result(
            SoakRun.Settings settings, SoakRun.SoakReport outcome, Path resultsDir, String stamp, ZonedDateTime now) {
        List<SoakFigures.Sample> samples = outcome.samples();
        List<SoakFigures.Flatness> flatness = List.of(
                SoakFigures.flatness("api RSS", samples, SoakFigures.Sample::apiRssMiB),
                SoakFigures.flatness("pipeline RSS", samples, SoakFigures.Sample::pipelineRssMiB),
                SoakFigures.flatness(
                        "api heap, lowest each minute",
                        SoakFigures.minuteLows(samples, SoakFigures.Sample::apiHeapMiB)),
                SoakFigures.flatness(
                        "pipeline heap, lowest each minute",
                        SoakFigures.minuteLows(samples, SoakFigures.Sample::pipelineHeapMiB)));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("notifications", settings.notifications());
        figures.put("receiversPerRequest", settings.receiversPerRequest());
        figures.put("producers", settings.producers());
        figures.put("failSeconds", settings.failFor().toSeconds());
        figures.put("backlogBound", settings.backlog());
        figures.putAll(outcome.figures());
        figures.put(
                "flatRule",
                String.format(
                        Locale.ROOT,
                        "the last third's median is at most %.0f %% above the "
                                + "middle third's (the first third is warm-up), for RSS and for the heap in use's "
                                + "lowest value in "
                                + "each minute (the heap in use is a saw-tooth; its troughs are what survives a "
                                + "collection)",
                        SoakFigures.FLAT_TOLERANCE * 100));
        figures.put("flatness", flatness);
        figures.put("samples", samples.size());
        List<String> violations = new ArrayList<>(outcome.violations());
        figures.put(DrillResult.VIOLATIONS, violations);

        String table = table(settings, figures, flatness);
        try {
            Files.createDirectories(resultsDir);
            Files.writeString(resultsDir.resolve(stamp + ".csv"), SoakFigures.csv(samples));
            if (!samples.isEmpty()) {
                new ChartPlotter().plot(chart(samples), resultsDir.resolve(stamp + ".png"));
            }
            Files.writeString(
                    resultsDir.resolve(stamp + ".md"),
                    "# Soak, " + now.toLocalDate() + "\n\n"
                            + table + "\n"
                            + (violations.isEmpty()
                                    ? "Every invariant held.\n"
                                    : "**Broken:** " + String.join("; ", violations) + "\n")
                            + "\nSamples: [" + stamp + ".csv](" + stamp + ".csv); memory over time: ![memory](" + stamp
                            + ".png)\n");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the soak's files under " + resultsDir + ": " + e.getMessage(), e);
        }
        figures.put("files", List.of(stamp + ".csv", stamp + ".png", stamp + ".md"));
        return new DrillResult(figures, table, List.of());
    }

    private static String table(SoakRun.Settings settings, Map<String, Object> f, List<SoakFigures.Flatness> flat) {
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT,
                "Soak: %,d notifications through the packaged `bin/herald api` (POST /v1/notifications, %d receivers "
                        + "per request, %d producers, at most %,d accepted and undelivered) and `bin/herald pipeline` "
                        + "(status store on, SES and SendGrid fakes), %s answering 500 for %d s from half-way; "
                        + "%.0f s in all, load average at the end %s%s%n",
                settings.notifications(),
                settings.receiversPerRequest(),
                settings.producers(),
                settings.backlog(),
                f.get("failedProvider"),
                settings.failFor().toSeconds(),
                (Double) f.get("seconds"),
                f.get("loadAverageAtEnd"),
                Boolean.TRUE.equals(f.get("stoppedEarly"))
                        ? String.format(
                                Locale.ROOT,
                                "; **stopped producing after %s min (--stop-after) at %,d notifications**",
                                f.get("stopAfterMinutes"),
                                (Integer) f.get("notificationsAccepted"))
                        : ""));
        t.append("| figure | value |\n|---|---|\n");
        for (String key : List.of(
                "notificationsAccepted",
                "deliveredDistinct",
                "lost",
                "duplicates",
                "duplicatesInsideWindow",
                "duplicatesOutsideWindow",
                "duplicateBound",
                "duplicateWindowSeconds",
                "deliveriesAtSes",
                "deliveriesAtSendGrid",
                "answered500",
                "requestsRetriedAfter429or503",
                "statusSample",
                "messagesLeftOnQueue",
                "messagesOnDeadLetterQueue",
                "pipelineLogWarnings",
                "apiCpuSeconds",
                "pipelineCpuSeconds",
                "elasticMqCpuSeconds",
                "dynamoDbLocalCpuSeconds")) {
            Object v = f.get(key);
            t.append("| ")
                    .append(key)
                    .append(" | ")
                    .append(v instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : String.valueOf(v))
                    .append(" |\n");
        }
        t.append(String.format(
                Locale.ROOT,
                "%nMemory (MiB), flat = %s:%n| series | middle third median | last "
                        + "third median | growth | flat |%n|---|---|---|---|---|%n",
                f.get("flatRule")));
        for (SoakFigures.Flatness x : flat) {
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f | %+.1f %% | %s |%n",
                    x.series(),
                    x.middle(),
                    x.last(),
                    x.growth() * 100,
                    x.samples() < 6 ? "too few samples (" + x.samples() + ")" : x.flat() ? "yes" : "**no**"));
        }
        return t.toString();
    }

    private static Chart chart(List<SoakFigures.Sample> samples) {
        return new Chart(
                "memory",
                "Soak: memory of the API and pipeline processes",
                "seconds since start",
                "MiB",
                List.of(
                        series("api RSS", samples, SoakFigures.Sample::apiRssMiB),
                        series("pipeline RSS", samples, SoakFigures.Sample::pipelineRssMiB),
                        series("api heap in use", samples, SoakFigures.Sample::apiHeapMiB),
                        series("pipeline heap in use", samples, SoakFigures.Sample::pipelineHeapMiB)));
    }

    private static Series series(
            String name, List<SoakFigures.Sample> samples, ToDoubleFunction<SoakFigures.Sample> value) {
        return new Series(
                name,
                samples.stream()
                        .filter(s -> !Double.isNaN(value.applyAsDouble(s)))
                        .map(s -> new Point(s.seconds(), value.applyAsDouble(s)))
                        .toList());
    }
}
