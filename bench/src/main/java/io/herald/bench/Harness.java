package io.herald.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ./herald bench <name> [drill args]} and {@code ./herald bench all}: runs drills, writes each result as JSON
 * and its charts as PNG under the results folder, prints its table, and for {@code all} writes summary.md. Exit codes:
 * 0 all held, 1 a drill failed or found a broken invariant, 2 the command line was wrong.
 */
public final class Harness {

    static final int OK = 0;
    static final int BROKEN = 1;
    static final int USAGE = 2;

    private final Drills drills;
    private final ResultsWriter writer;
    private final PrintStream out;
    private final PrintStream progress;
    private final Clock clock;

    public Harness(Drills drills, ResultsWriter writer, PrintStream out, PrintStream progress, Clock clock) {
        this.drills = drills;
        this.writer = writer;
        this.out = out;
        this.progress = progress;
        this.clock = clock;
    }

    /** A drill's outcome as the harness saw it: its result, or why it could not finish. */
    sealed interface DrillOutcome {
        Drill drill();

        record Finished(Drill drill, DrillResult result, Duration took) implements DrillOutcome {}

        record Failed(Drill drill, String reason) implements DrillOutcome {}

        /** The drill refused its options: a wrong command line, not a failed drill. */
        record Refused(Drill drill, String reason) implements DrillOutcome {}
    }

    public int run(List<String> args) {
        if (args.isEmpty()) {
            progress.println("herald: bench needs a drill name or 'all'; ./herald bench --help lists them");
            return USAGE;
        }
        String name = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        if (name.equals("--help") || name.equals("-h")) {
            out.print(help());
            return OK;
        }
        if (name.equals("all")) {
            if (!rest.isEmpty()) {
                progress.println("herald: bench all takes no options (run one drill by name to change its sizes)");
                return USAGE;
            }
            return runAll();
        }
        Optional<Drill> drill = drills.named(name);
        if (drill.isEmpty()) {
            progress.println("herald: unknown drill '" + name + "'; known: " + String.join(", ", names()));
            return USAGE;
        }
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(drill.get().name() + ": " + drill.get().description());
            return OK;
        }
        return verdict(List.of(runOne(drill.get(), rest, "./herald bench " + String.join(" ", args))));
    }

    private int runAll() {
        Instant started = clock.instant();
        List<DrillOutcome> outcomes = new ArrayList<>();
        List<Drill> all = drills.all();
        for (int i = 0; i < all.size(); i++) {
            progress.printf(
                    Locale.ROOT,
                    "bench: [%d/%d] %s%n",
                    i + 1,
                    all.size(),
                    all.get(i).name());
            outcomes.add(runOne(all.get(i), all.get(i).argsForAll(), "./herald bench all"));
        }
        Duration took = Duration.between(started, clock.instant());
        Path summary = writer.writeSummary("./herald bench all", started, took, outcomes);
        progress.printf(Locale.ROOT, "bench: all drills took %s; summary in %s%n", minutes(took), summary);
        return verdict(outcomes);
    }

    private DrillOutcome runOne(Drill drill, List<String> args, String command) {
        Instant started = clock.instant();
        progress.println("bench: " + drill.name() + ": " + drill.description());
        DrillResult result;
        try {
            result = drill.run(new DrillContext(writer.resultsDir(), progress, args));
        } catch (BadDrillArgumentException e) {
            progress.println("herald: " + e.getMessage());
            return new DrillOutcome.Refused(drill, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.println("herald: " + drill.name() + " interrupted");
            return new DrillOutcome.Failed(drill, "interrupted");
        } catch (Exception e) {
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            progress.println("herald: " + drill.name() + " failed: " + reason);
            return new DrillOutcome.Failed(drill, reason);
        }
        Duration took = Duration.between(started, clock.instant());
        List<Path> written = writer.write(drill.name(), command, started, took, result);
        out.println();
        out.println(result.table().strip());
        out.println();
        written.forEach(p -> out.println("written: " + p));
        for (String violation : result.violations()) {
            out.println("BROKEN INVARIANT in " + drill.name() + ": " + violation);
        }
        progress.printf(Locale.ROOT, "bench: %s took %s%n", drill.name(), minutes(took));
        return new DrillOutcome.Finished(drill, result, took);
    }

    private int verdict(List<DrillOutcome> outcomes) {
        List<String> problems = new ArrayList<>();
        boolean refused = false;
        for (DrillOutcome outcome : outcomes) {
            switch (outcome) {
                case DrillOutcome.Refused r -> refused = true;
                case DrillOutcome.Failed f -> problems.add(f.drill().name() + " did not finish: " + f.reason());
                case DrillOutcome.Finished f ->
                    f.result().violations().forEach(v -> problems.add(f.drill().name() + ": " + v));
            }
        }
        if (refused) {
            return USAGE;
        }
        if (problems.isEmpty()) {
            return OK;
        }
        progress.println("herald: bench found " + problems.size() + " problem(s): " + String.join("; ", problems));
        return BROKEN;
    }

    private List<String> names() {
        return java.util.stream.Stream.concat(drills.all().stream(), drills.byNameOnly().stream())
                .map(Drill::name)
                .toList();
    }

    String help() {
        StringBuilder text = new StringBuilder("""
                Usage: ./herald bench <drill> [drill options]    run one drill
                       ./herald bench all                        run every drill below, in this order (some smaller)
                       ./herald bench <drill> --help             the drill's one-line description

                Drills:
                """);
        for (Drill drill : drills.all()) {
            text.append(String.format(Locale.ROOT, "  %-10s %s%n", drill.name(), drill.description()));
        }
        if (!drills.byNameOnly().isEmpty()) {
            text.append("\nRun only by name (not part of `all`):\n");
            for (Drill drill : drills.byNameOnly()) {
                text.append(String.format(Locale.ROOT, "  %-10s %s%n", drill.name(), drill.description()));
            }
        }
        text.append("""

                Results: bench/results/<drill>.json (figures, table, date, machine), <drill>-<chart>.png,
                and summary.md for `all`. Exit status: 0 every invariant held, 1 a drill failed or broke an
                invariant (lost messages, a 5xx in fuzz), 2 a wrong command line.
                """);
        return text.toString();
    }

    private static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
