package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry: the soak runs by name only, never as part of `bench all`, and --help says so. */
class DrillsTest {

    @Test
    void theSoakIsKnownByNameButNotPartOfAll() {
        Drills drills = Drills.standard();

        assertThat(drills.all()).extracting(Drill::name).doesNotContain("soak").contains("pipeline", "api", "feedback");
        assertThat(drills.named("soak")).get().isInstanceOf(SoakDrill.class);
        assertThat(drills.byNameOnly()).extracting(Drill::name).containsExactly("soak");
    }

    @Test
    void helpListsTheDrillsRunOnlyByNameApart() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Harness harness = new Harness(
                Drills.standard(),
                new ResultsWriter(Path.of("unused"), new ChartPlotter()),
                print,
                print,
                Clock.systemUTC());

        assertThat(harness.run(List.of("--help"))).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help.substring(help.indexOf("Run only by name"))).contains("  soak ");
        assertThat(help.substring(0, help.indexOf("Run only by name"))).doesNotContain("  soak ");
    }
}
