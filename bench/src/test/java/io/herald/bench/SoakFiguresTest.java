package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The soak drill's arithmetic and what it reads from /proc and a Prometheus scrape. The soak itself is a benchmark, run
 * by ./herald bench soak, never by the tests.
 */
class SoakFiguresTest {

    private static SoakFigures.Sample sample(double seconds, double pipelineRss) {
        return new SoakFigures.Sample(seconds, 10, 9, 300, 100, pipelineRss, 120, 1.5);
    }

    private static List<SoakFigures.Sample> rising(double... rss) {
        List<SoakFigures.Sample> out = new ArrayList<>();
        for (int i = 0; i < rss.length; i++) {
            out.add(sample(i * 5, rss[i]));
        }
        return out;
    }

    @Test
    void flatWhenTheLastThirdStaysWithinTheToleranceOfTheMiddleThird() {
        // The first third (warm-up) rises a lot and is left out; the last third is 5 % above the middle.
        SoakFigures.Flatness f = SoakFigures.flatness(
                "pipeline RSS",
                rising(100, 150, 200, 200, 200, 200, 210, 210, 210),
                SoakFigures.Sample::pipelineRssMiB);
        assertThat(f.middle()).isEqualTo(200);
        assertThat(f.last()).isEqualTo(210);
        assertThat(f.growth()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f.flat()).isTrue();
        assertThat(f.samples()).isEqualTo(9);
    }

    @Test
    void notFlatWhenTheLastThirdGrowsBeyondTheTolerance() {
        SoakFigures.Flatness f = SoakFigures.flatness(
                "pipeline RSS",
                rising(100, 100, 100, 200, 200, 200, 250, 250, 250),
                SoakFigures.Sample::pipelineRssMiB);
        assertThat(f.growth()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f.flat()).isFalse();
    }

    @Test
    void tooFewSamplesAreNeverCalledFlatAndUnreadableOnesAreLeftOut() {
        SoakFigures.Flatness f = SoakFigures.flatness(
                "pipeline RSS", rising(100, Double.NaN, 100, 100, 100, Double.NaN), SoakFigures.Sample::pipelineRssMiB);
        assertThat(f.samples()).isEqualTo(4);
        assertThat(f.flat()).isFalse();
        assertThat(f.middle()).isNaN();
    }

    @Test
    void duplicatesAreJudgedByWhenTheirFirstDeliveryWas() {
        long s = 1_000_000_000L;
        SoakFigures.Window window = SoakFigures.Window.around(100 * s, 160 * s, 10 * s, 60 * s);
        assertThat(window.fromNanos()).isEqualTo(90 * s);
        assertThat(window.toNanos()).isEqualTo(230 * s);
        List<EmailApiFake.Received> deliveries = List.of(
                new EmailApiFake.Received(10 * s, "a", 200),
                new EmailApiFake.Received(95 * s, "b", 200),
                new EmailApiFake.Received(150 * s, "b", 202),
                new EmailApiFake.Received(100 * s, "c", 500),
                new EmailApiFake.Received(120 * s, "c", 200),
                new EmailApiFake.Received(300 * s, "d", 200),
                new EmailApiFake.Received(301 * s, "d", 200),
                new EmailApiFake.Received(302 * s, "d", 200));
        SoakFigures.Duplicates d = SoakFigures.duplicates(deliveries, window, 1000);
        // b twice inside; c once delivered after a 500 (no duplicate); d three times, well after the window.
        assertThat(d.total()).isEqualTo(3);
        assertThat(d.insideWindow()).isEqualTo(1);
        assertThat(d.outsideWindow()).isEqualTo(2);
        assertThat(d.examplesOutside()).containsExactly("d");
        assertThat(d.withinBound()).isFalse();
        assertThat(SoakFigures.duplicates(deliveries.subList(0, 5), window, 1000)
                        .withinBound())
                .isTrue();
        assertThat(SoakFigures.duplicates(deliveries.subList(0, 5), window, 0).withinBound())
                .isFalse();
    }

    @Test
    void readsVmRssFromProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t  524288 kB\nThreads:\t40\n";
        assertThat(SoakFigures.rssMiB(status)).isEqualTo(512.0);
        assertThat(SoakFigures.rssMiB("Name:\tkthreadd\n")).isNaN();
        assertThatThrownBy(() -> SoakFigures.rssMiB("VmRSS:\t12 MB\n")).hasMessageContaining("VmRSS");
    }

    @Test
    void readsTheHeapInUseFromAScrape() {
        String scrape = """
                # HELP jvm_memory_used_bytes The amount of used memory
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 2097152.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 1048576.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E9
                """;
        assertThat(SoakFigures.heapMiB(scrape)).isEqualTo(3.0);
        assertThat(SoakFigures.heapMiB("process_uptime_seconds 3.0\n")).isNaN();
    }

    @Test
    void theHeapsTroughsAreTheLowestValueOfEachMinute() {
        List<SoakFigures.Sample> samples = List.of(
                new SoakFigures.Sample(0, 0, 0, 0, 80, 0, 50, 0),
                new SoakFigures.Sample(30, 0, 0, 0, 40, 0, Double.NaN, 0),
                new SoakFigures.Sample(61, 0, 0, 0, 90, 0, 70, 0),
                new SoakFigures.Sample(119, 0, 0, 0, 45, 0, 60, 0),
                new SoakFigures.Sample(125, 0, 0, 0, 99, 0, Double.NaN, 0));
        assertThat(SoakFigures.minuteLows(samples, SoakFigures.Sample::apiHeapMiB))
                .containsExactly(40.0, 45.0, 99.0);
        assertThat(SoakFigures.minuteLows(samples, SoakFigures.Sample::pipelineHeapMiB))
                .containsExactly(50.0, 60.0);
    }

    @Test
    void writesOneCsvLinePerSampleUnderTheHeader() {
        String csv = SoakFigures.csv(List.of(sample(0, 200), sample(5, 210.25)));
        assertThat(csv.lines().toList())
                .containsExactly(
                        SoakFigures.CSV_HEADER,
                        "0.0,10,9,300.0,100.0,200.0,120.0,1.50",
                        "5.0,10,9,300.0,100.0,210.3,120.0,1.50");
    }
}
