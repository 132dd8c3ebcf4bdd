package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness with small drills of its own: parsing, exit codes, files written. */
class HarnessTest {

    @TempDir
    Path results;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> ran = new ArrayList<>();

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A drill for these tests: its name, its description and what running it does. */
    private record ScriptedDrill(String name, String description, Function<DrillContext, DrillResult> script)
            implements Drill {
        @Override
        public DrillResult run(DrillContext context) {
            return script.apply(context);
        }
    }

    /** A drill that records it ran and returns what it was built with. */
    private Drill drill(String name, List<String> violations) {
        return new ScriptedDrill(name, name + " drill for tests, ~0 s", context -> {
            DrillOptions options = DrillOptions.parse(name, context.args(), Set.of("--size"));
            int size = options.intOption("--size", 3, 1);
            ran.add(name + ":" + size);
            context.progress().println("step");
            Chart chart = new Chart(
                    "line",
                    name + " chart",
                    "x",
                    "y",
                    List.of(new Series("s", List.of(new Point(0, 0), new Point(1, size)))));
            return new DrillResult(
                    Map.of("size", size, DrillResult.VIOLATIONS, violations),
                    "Caption of " + name + "\n| a | b |\n|---|---|\n| 1 | " + size + " |\n",
                    List.of(chart));
        });
    }

    private Drill failing(String name) {
        return new ScriptedDrill(name, "always fails", context -> {
            throw new IllegalStateException("fake provider would not start");
        });
    }

    private int run(List<Drill> drills, String... args) {
        Harness harness = new Harness(
                new Drills(drills),
                new ResultsWriter(results, new ChartPlotter()),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        return harness.run(List.of(args));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryDrillWithItsDescription() {
        assertThat(run(List.of(drill("alpha", List.of()), drill("beta", List.of())), "--help"))
                .isZero();
        assertThat(stdout())
                .contains("./herald bench all")
                .contains("alpha")
                .contains("alpha drill for tests")
                .contains("beta drill for tests");
    }

    @Test
    void anUnknownDrillExitsTwoWithOneLineNamingTheKnownOnes() {
        assertThat(run(List.of(drill("alpha", List.of())), "gamma")).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("herald: unknown drill 'gamma'; known: alpha");
        assertThat(ran).isEmpty();
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertThat(run(List.of(drill("alpha", List.of())))).isEqualTo(2);
        assertThat(stderr()).contains("bench --help");
    }

    @Test
    void anUnknownDrillOptionExitsTwoNamingIt() {
        assertThat(run(List.of(drill("alpha", List.of())), "alpha", "--sise", "4"))
                .isEqualTo(2);
        assertThat(stderr()).contains("alpha: unknown option '--sise' (known: --size)");
        assertThat(ran).isEmpty();
    }

    @Test
    void aMalformedOptionValueExitsTwoNamingTheValue() {
        assertThat(run(List.of(drill("alpha", List.of())), "alpha", "--size", "many"))
                .isEqualTo(2);
        assertThat(stderr()).contains("--size needs a whole number, got 'many'");
    }

    @Test
    void allTakesNoOptions() {
        assertThat(run(List.of(drill("alpha", List.of())), "all", "--size", "2"))
                .isEqualTo(2);
        assertThat(ran).isEmpty();
    }

    @Test
    void oneDrillGetsItsOptionsAndWritesJsonAndAChartAndPrintsItsTable() throws Exception {
        assertThat(run(List.of(drill("alpha", List.of())), "alpha", "--size", "7"))
                .isZero();
        assertThat(ran).containsExactly("alpha:7");
        assertThat(stdout()).contains("Caption of alpha").contains("| 1 | 7 |");
        assertThat(stderr()).contains("step");

        JsonNode json =
                new ObjectMapper().readTree(results.resolve("alpha.json").toFile());
        assertThat(json.path("drill").asText()).isEqualTo("alpha");
        assertThat(json.path("command").asText()).isEqualTo("./herald bench alpha --size 7");
        assertThat(json.path("figures").path("size").asInt()).isEqualTo(7);
        assertThat(json.path("table").asText()).contains("| 1 | 7 |");
        assertThat(json.path("date").asText()).isNotBlank();
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("machine").path("jdk").asText())
                .contains(Integer.toString(Runtime.version().feature()));
        assertThat(json.path("charts")
                        .path(0)
                        .path("series")
                        .path(0)
                        .path("points")
                        .size())
                .isEqualTo(2);
        assertThat(Files.size(results.resolve("alpha-line.png"))).isPositive();
    }

    @Test
    void allRunsEveryDrillInOrderAndWritesTheSummary() throws Exception {
        assertThat(run(List.of(drill("alpha", List.of()), drill("beta", List.of())), "all"))
                .isZero();
        assertThat(ran).containsExactly("alpha:3", "beta:3");
        String summary = Files.readString(results.resolve("summary.md"));
        assertThat(summary)
                .contains("`./herald bench all`")
                .contains("## alpha")
                .contains("Caption of alpha")
                .contains("## beta")
                .contains("Caption of beta")
                .contains("(alpha-line.png)");
        assertThat(summary.indexOf("## alpha")).isLessThan(summary.indexOf("## beta"));
    }

    @Test
    void allRunsADrillWithTheSizesItAsksForThere() {
        Drill small = drill("gamma", List.of());
        Drill sized = new Drill() {
            @Override
            public String name() {
                return small.name();
            }

            @Override
            public String description() {
                return small.description();
            }

            @Override
            public DrillResult run(DrillContext context) throws Exception {
                return small.run(context);
            }

            @Override
            public List<String> argsForAll() {
                return List.of("--size", "1");
            }
        };

        assertThat(run(List.of(drill("alpha", List.of()), sized), "all")).isZero();
        assertThat(ran).containsExactly("alpha:3", "gamma:1");
    }

    @Test
    void aBrokenInvariantIsPrintedPlainlyAndTheRunExitsOneAfterTheOtherDrills() throws Exception {
        int code = run(List.of(drill("alpha", List.of("lost 2 of 10 messages")), drill("beta", List.of())), "all");
        assertThat(code).isEqualTo(1);
        assertThat(ran).containsExactly("alpha:3", "beta:3");
        assertThat(stdout()).contains("BROKEN INVARIANT in alpha: lost 2 of 10 messages");
        assertThat(stderr()).contains("alpha: lost 2 of 10 messages");
        assertThat(Files.readString(results.resolve("summary.md")))
                .contains("**Broken invariant:** lost 2 of 10 messages");
        assertThat(new ObjectMapper()
                        .readTree(results.resolve("alpha.json").toFile())
                        .path("figures")
                        .path("violations")
                        .path(0)
                        .asText())
                .isEqualTo("lost 2 of 10 messages");
    }

    @Test
    void aDrillThatThrowsDoesNotStopTheOthersAndTheRunExitsOne() throws Exception {
        assertThat(run(List.of(failing("alpha"), drill("beta", List.of())), "all"))
                .isEqualTo(1);
        assertThat(ran).containsExactly("beta:3");
        assertThat(stderr()).contains("alpha failed: IllegalStateException: fake provider would not start");
        assertThat(Files.readString(results.resolve("summary.md"))).contains("**Did not finish:**");
    }
}
