package io.herald.mailprog.message;

import static io.herald.mailprog.message.StatsFixture.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.MailprogConfig;
import io.herald.mailprog.slurm.JobEvent;
import io.herald.mailprog.slurm.MailType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hints for cases seen on a real Slurm 22.05 cluster, where the old ones were wrong or noisy. */
class HintsTest {

    private static final Hints HINTS = new Hints(MailprogConfig.defaults().hints(), Map.of());

    private static JobEvent end(MailType type, Integer exitCode, Integer signal) {
        return new JobEvent(
                "4300001", null, null, false, null, null, null, "job", "alice", null, "c1", null, null, null, type,
                null, exitCode, signal, null, false, null, null, null, null, null, null, null, null, null, null, null,
                "alice", List.of());
    }

    private static List<String> hints(StatsFixture s) {
        return HINTS.hintsFor(end(MailType.END, 0, null), Optional.of(s.stats()));
    }

    @Test
    void aJobThatAskedFor500MAndUsed6MiBIsNeverToldToAskForMore() {
        List<String> h = hints(StatsFixture.finished().memory(500 * MIB, 6 * MIB));

        assertThat(h)
                .filteredOn(s -> s.startsWith("Memory"))
                .singleElement()
                .asString()
                .contains("6.0 MiB of the 500 MiB")
                .contains("About --mem=16M would do");
    }

    @ParameterizedTest(name = "peak {0} MiB -> --mem={1}")
    @CsvSource({
        "6, 16M",
        "20, 32M",
        "50, 64M",
        "100, 128M",
        "180, 256M",
        "300, 512M",
        "700, 1G",
        "1000, 1536M",
        "1500, 2G",
        "3000, 4G",
        "5000, 6G",
        "12000, 15G",
        "30000, 36G",
        "100000, 128G"
    })
    void suggestionsHaveHeadroomAndARoundSize(long peakMiB, String flag) {
        assertThat(Hints.memFlag(Hints.suggestMemory(peakMiB * MIB))).isEqualTo(flag);
    }

    @Test
    void noMemoryHintWhenTheRoundedSuggestionIsNotBelowTheRequest() {
        // 14 MiB used of 16 MiB asked: under any threshold that would fire, the suggestion (32M) is more.
        List<String> h = new Hints(
                        new MailprogConfig.Hints(true, 100, 50, 50, 95, Duration.ofSeconds(60), 25), Map.of())
                .hintsFor(
                        end(MailType.END, 0, null),
                        Optional.of(StatsFixture.finished()
                                .memory(16 * MIB, 14 * MIB)
                                .stats()));

        assertThat(h).noneMatch(s -> s.startsWith("Memory"));
    }

    @Test
    void aMemoryKillSeenAsFailedWithSignal9GetsTheMemoryHintOnly() {
        // As seen: FAILED, signal 9, peak 1208 % of the 500M requested, CPU mostly idle, 1 h limit unused.
        StatsFixture s = StatsFixture.finished()
                .state("FAILED", "0:9")
                .memory(500 * MIB, 6040 * MIB)
                .time(Duration.ofHours(1), Duration.ofSeconds(90), Duration.ofSeconds(5), 4);

        List<String> h = HINTS.hintsFor(end(MailType.FAIL, null, 9), Optional.of(s.stats()));

        assertThat(h)
                .singleElement()
                .asString()
                .startsWith("Memory: the job was most likely stopped for using more memory")
                .contains("1208% of the 500 MiB requested")
                .contains("signal 9")
                .contains("--mem=8G");
    }

    @Test
    void aFailedJobFarBelowItsMemoryIsNotCalledAMemoryKill() {
        StatsFixture s = StatsFixture.finished().state("FAILED", "3:0").memory(4096 * MIB, 100 * MIB);

        assertThat(HINTS.hintsFor(end(MailType.FAIL, 3, null), Optional.of(s.stats())))
                .noneMatch(h -> h.contains("stopped for using more memory"));
    }

    @Test
    void aKilledJobGetsNoCpuOrTimeHints() {
        StatsFixture s = StatsFixture.finished()
                .state("FAILED", "0:11")
                .memory(4096 * MIB, 3900 * MIB / 2)
                .time(Duration.ofHours(10), Duration.ofMinutes(5), Duration.ofSeconds(10), 8);

        assertThat(HINTS.hintsFor(end(MailType.FAIL, null, 11), Optional.of(s.stats())))
                .isEmpty();
    }

    @Test
    void aVeryShortJobGetsNoCpuHintButALongerOneDoes() {
        StatsFixture shortJob = StatsFixture.finished().time(null, Duration.ofSeconds(20), Duration.ofSeconds(1), 4);
        StatsFixture longJob = StatsFixture.finished().time(null, Duration.ofMinutes(20), Duration.ofMinutes(1), 4);

        assertThat(hints(shortJob)).noneMatch(h -> h.startsWith("CPU"));
        assertThat(hints(longJob)).anyMatch(h -> h.startsWith("CPU: the job kept its 4 CPU(s) 1% busy"));
    }

    @Test
    void theCpuMinimumIsConfigurable() {
        Hints strict = new Hints(new MailprogConfig.Hints(true, 50, 50, 50, 95, Duration.ofSeconds(10), 25), Map.of());
        StatsFixture s = StatsFixture.finished().time(null, Duration.ofSeconds(20), Duration.ofSeconds(1), 4);

        assertThat(strict.hintsFor(end(MailType.END, 0, null), Optional.of(s.stats())))
                .anyMatch(h -> h.startsWith("CPU"));
    }

    @Test
    void aJobWithoutATimeLimitGetsNoShorterTimeHint() {
        StatsFixture unlimited = StatsFixture.finished().time(null, Duration.ofMinutes(10), Duration.ofMinutes(9), 1);

        assertThat(hints(unlimited)).noneMatch(h -> h.contains("--time"));
        assertThat(hints(StatsFixture.finished())).anyMatch(h -> h.contains("A shorter --time"));
    }

    @Test
    void gpusHeldButBarelyUsedGetAHintOnlyWhenTheSiteGathersUtilisation() {
        StatsFixture idle = StatsFixture.finished()
                .tres(
                        Map.of("cpu", "1", "gres/gpu", "2", "mem", "4G"),
                        Map.of("gres/gpuutil", "3", "gres/gpumem", "210M"));
        StatsFixture busy = idle.tres(idle.allocTres(), Map.of("gres/gpuutil", "97"));
        StatsFixture unknown = idle.tres(idle.allocTres(), Map.of("cpu", "00:09:00"));

        assertThat(hints(idle))
                .anyMatch(h -> h.startsWith("GPU: the job held 2 GPU(s) but their utilisation peaked at 3%"));
        assertThat(hints(busy)).noneMatch(h -> h.startsWith("GPU"));
        assertThat(hints(unknown)).as("no figures, no claims").noneMatch(h -> h.startsWith("GPU"));
    }
}
