package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartPlotterTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void aChartRendersToAPngWithItsLinesDrawn() throws Exception {
        Chart chart = new Chart(
                "rate",
                "Deliveries per second",
                "seconds",
                "messages per second",
                List.of(
                        new Series("A", List.of(new Point(0, 50), new Point(1, 0), new Point(2, 48))),
                        new Series("B", List.of(new Point(0, 50), new Point(1, 100), new Point(2, 52)))));
        Path png = dir.resolve("rate.png");
        new ChartPlotter().plot(chart, png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(400);
        assertThat(image.getHeight()).isGreaterThan(200);
        // Not a blank canvas: some pixels carry the first series' colour.
        int blue = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                if ((image.getRGB(x, y) & 0xffffff) == 0x1f77b4) {
                    blue++;
                }
            }
        }
        assertThat(blue).isGreaterThan(50);
    }

    @Test
    void aChartWithoutPointsStillRenders() throws Exception {
        Path png = dir.resolve("empty.png");
        new ChartPlotter()
                .plot(new Chart("empty", "Nothing yet", "x", "y", List.of(new Series("none", List.of()))), png);
        assertThat(ImageIO.read(png.toFile())).isNotNull();
    }

    @Test
    void axisTicksAreRoundNumbersCoveringTheData() {
        ChartPlotter.Range range = ChartPlotter.Range.of(new double[] {3, 1_393}, true);
        assertThat(range.min()).isZero();
        assertThat(range.max()).isGreaterThanOrEqualTo(1_393);
        assertThat(range.step()).isIn(200.0, 250.0, 500.0);
    }
}
