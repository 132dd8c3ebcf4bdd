package io.herald.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a {@link Chart} as a line chart in a PNG with plain java.awt (headless): no plotting library to pin, and the
 * few charts the drills need are lines over time or over a setting.
 */
public final class ChartPlotter {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 110;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
    };

    public void plot(Chart chart, Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(chart, g);
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private void draw(Chart chart, Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        Range x = Range.of(
                chart.series().stream()
                        .flatMap(s -> s.points().stream())
                        .mapToDouble(Point::x)
                        .toArray(),
                false);
        Range y = Range.of(
                chart.series().stream()
                        .flatMap(s -> s.points().stream())
                        .mapToDouble(Point::y)
                        .toArray(),
                true);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        centred(g, chart.title(), LEFT + plotW / 2, 32);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double tick : y.ticks()) {
            int py = TOP + plotH - (int) Math.round((tick - y.min()) / y.span() * plotH);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = Range.format(tick);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        for (double tick : x.ticks()) {
            int px = LEFT + (int) Math.round((tick - x.min()) / x.span() * plotW);
            g.setColor(new Color(0xf0f0f0));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            centred(g, Range.format(tick), px, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        centred(g, chart.xLabel(), LEFT + plotW / 2, TOP + plotH + 42);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centred(g, chart.yLabel(), -(TOP + plotH / 2), 24);
        g.setTransform(saved);

        g.setClip(LEFT, TOP - 2, plotW + 1, plotH + 4);
        List<Series> series = chart.series();
        for (int i = 0; i < series.size(); i++) {
            List<Point> points = series.get(i).points();
            g.setColor(PALETTE[i % PALETTE.length]);
            g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D line = new Path2D.Double();
            for (int p = 0; p < points.size(); p++) {
                double px = LEFT + (points.get(p).x() - x.min()) / x.span() * plotW;
                double py = TOP + plotH - (points.get(p).y() - y.min()) / y.span() * plotH;
                if (p == 0) {
                    line.moveTo(px, py);
                } else {
                    line.lineTo(px, py);
                }
                if (points.size() <= 12) {
                    g.fillOval((int) px - 4, (int) py - 4, 8, 8);
                }
            }
            g.draw(line);
        }
        g.setClip(null);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        fm = g.getFontMetrics();
        int lx = LEFT;
        int ly = HEIGHT - 30;
        for (int i = 0; i < series.size(); i++) {
            String name = series.get(i).name();
            int need = 30 + fm.stringWidth(name) + 24;
            if (lx + need > WIDTH - RIGHT) {
                lx = LEFT;
                ly += 18;
            }
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(lx, ly - 9, 22, 5);
            g.setColor(Color.BLACK);
            g.drawString(name, lx + 28, ly);
            lx += need;
        }
    }

    private static void centred(Graphics2D g, String text, int cx, int baseline) {
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }

    /** An axis: its bounds widened to round ticks. */
    record Range(double min, double max, double step) {

        static Range of(double[] values, boolean fromZero) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (lo > hi) {
                lo = 0;
                hi = 1;
            }
            if (fromZero && lo > 0) {
                lo = 0;
            }
            if (hi - lo < 1e-9) {
                hi = lo + 1;
            }
            double step = niceStep((hi - lo) / 6);
            return new Range(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
        }

        double span() {
            return max - min;
        }

        List<Double> ticks() {
            int n = (int) Math.round(span() / step);
            return java.util.stream.IntStream.rangeClosed(0, n)
                    .mapToObj(i -> min + i * step)
                    .toList();
        }

        private static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double fraction = raw / magnitude;
            double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
            return nice * magnitude;
        }

        static String format(double v) {
            if (Math.abs(v - Math.rint(v)) < 1e-9) {
                return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
            }
            return String.format(Locale.ROOT, "%.2f", v).replaceFirst("0+$", "");
        }
    }
}
