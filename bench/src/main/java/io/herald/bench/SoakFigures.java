package io.herald.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The soak drill's arithmetic, apart from anything it runs, so it can be tested on its own: the samples' CSV, the
 * "flat" rule, the duplicates' bound and the few lines of /proc and Prometheus text it reads.
 */
final class SoakFigures {

    /**
     * The flat rule: the median of the last third of the samples is at most this much above the median of the middle
     * third. The first third is start-up and warm-up (JIT, pools, class loading), which every JVM grows through, so it
     * is left out of the comparison.
     */
    static final double FLAT_TOLERANCE = 0.10;

    private SoakFigures() {}

    /** One sample of both processes; memory in MiB (NaN when it could not be read), time since the start. */
    record Sample(
            double seconds,
            long accepted,
            long delivered,
            double apiRssMiB,
            double apiHeapMiB,
            double pipelineRssMiB,
            double pipelineHeapMiB,
            double loadAverage) {}

    static final String CSV_HEADER = "seconds,accepted,delivered,api_rss_mib,api_heap_used_mib,pipeline_rss_mib,"
            + "pipeline_heap_used_mib,load_average";

    static String csv(List<Sample> samples) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (Sample s : samples) {
            out.append(csvLine(s));
        }
        return out.toString();
    }

    /** One sample as a CSV line with its line end: appended as the drill goes, so a cut-short run keeps them. */
    static String csvLine(Sample s) {
        return String.format(
                Locale.ROOT,
                "%.1f,%d,%d,%.1f,%.1f,%.1f,%.1f,%.2f%n",
                s.seconds(),
                s.accepted(),
                s.delivered(),
                s.apiRssMiB(),
                s.apiHeapMiB(),
                s.pipelineRssMiB(),
                s.pipelineHeapMiB(),
                s.loadAverage());
    }

    /**
     * The flat rule applied to one series of samples.
     *
     * @param middle median of the middle third
     * @param last median of the last third
     * @param flat whether last ≤ middle × (1 + {@link #FLAT_TOLERANCE}); false with fewer than 6 samples (nothing to
     *     judge), which the report says
     */
    record Flatness(String series, double middle, double last, double growth, boolean flat, int samples) {}

    static Flatness flatness(String series, List<Sample> samples, ToDoubleFunction<Sample> value) {
        List<Double> values = new ArrayList<>();
        for (Sample s : samples) {
            values.add(value.applyAsDouble(s));
        }
        return flatness(series, values);
    }

    /** The flat rule over values in time order; NaN (unread) values are left out. */
    static Flatness flatness(String series, List<Double> measured) {
        List<Double> values = measured.stream().filter(v -> !Double.isNaN(v)).toList();
        int n = values.size();
        if (n < 6) {
            return new Flatness(series, Double.NaN, Double.NaN, Double.NaN, false, n);
        }
        double middle = Percentile.of(values.subList(n / 3, 2 * n / 3), 0.5);
        double last = Percentile.of(values.subList(2 * n / 3, n), 0.5);
        double growth = last / middle - 1;
        return new Flatness(series, middle, last, growth, growth <= FLAT_TOLERANCE, n);
    }

    /**
     * Where duplicates are allowed: from {@code sendTimeout} before the provider began failing (a send out then may be
     * answered late) to a visibility timeout plus a send timeout after it healed (a message received during the failure
     * reappears at most one visibility timeout later, and its send may last a send timeout). On the
     * {@link System#nanoTime()} clock.
     */
    record Window(long fromNanos, long toNanos) {

        static Window around(long failFrom, long failTo, long sendTimeoutNanos, long visibilityNanos) {
            return new Window(failFrom - sendTimeoutNanos, failTo + visibilityNanos + sendTimeoutNanos);
        }

        boolean contains(long nanos) {
            return nanos >= fromNanos && nanos <= toNanos;
        }
    }

    /**
     * Every id delivered more than once, judged by when its first delivery was. A message can be delivered twice only
     * if its delete failed or came too late after a provider accepted it; the failure window is where that may happen,
     * at most once per message in flight, so a duplicate outside it, or more than {@code maxInFlight} inside, breaks
     * the bound.
     *
     * @param deliveries every accepted delivery at a fake, repeats included, as (id, nanos)
     */
    record Duplicates(long total, long insideWindow, long outsideWindow, long bound, List<String> examplesOutside) {

        boolean withinBound() {
            return outsideWindow == 0 && insideWindow <= bound;
        }
    }

    static Duplicates duplicates(List<EmailApiFake.Received> deliveries, Window window, int maxInFlight) {
        Map<String, long[]> byId = new HashMap<>();
        for (EmailApiFake.Received r : deliveries) {
            if (!r.accepted()) {
                continue;
            }
            // [deliveries, first delivery's time]
            long[] seen = byId.computeIfAbsent(r.heraldId(), k -> new long[] {0, Long.MAX_VALUE});
            seen[0]++;
            seen[1] = Math.min(seen[1], r.nanos());
        }
        long total = 0;
        long inside = 0;
        long outside = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byId.entrySet()) {
            long extra = e.getValue()[0] - 1;
            if (extra <= 0) {
                continue;
            }
            total += extra;
            if (window != null && window.contains(e.getValue()[1])) {
                inside += extra;
            } else {
                outside += extra;
                if (examples.size() < 5) {
                    examples.add(e.getKey());
                }
            }
        }
        return new Duplicates(total, inside, outside, maxInFlight, List.copyOf(examples));
    }

    /** VmRSS of one /proc/PID/status text, in MiB; NaN when the line is missing (a kernel thread, a zombie). */
    static double rssMiB(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).strip().split("\\s+");
                if (parts.length != 2 || !parts[1].equals("kB")) {
                    throw new IllegalStateException("an unexpected VmRSS line in /proc/PID/status: " + line.strip());
                }
                return Long.parseLong(parts[0]) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /**
     * The lowest value in each whole minute of samples, in time order: for a saw-tooth such as the heap in use, the
     * troughs are what is left after a collection, which is what a leak would make grow. The scrapes hold no after-GC
     * figure (G1's young collections leave jvm_gc_live_data_size_bytes at 0).
     */
    static List<Double> minuteLows(List<Sample> samples, ToDoubleFunction<Sample> value) {
        Map<Long, Double> lows = new java.util.TreeMap<>();
        for (Sample s : samples) {
            double v = value.applyAsDouble(s);
            if (!Double.isNaN(v)) {
                lows.merge((long) (s.seconds() / 60), v, Math::min);
            }
        }
        return List.copyOf(lows.values());
    }

    /** The heap in use (every heap pool's {@code jvm_memory_used_bytes}) of a scrape, in MiB; NaN if absent. */
    static double heapMiB(String scrape) {
        double used = 0;
        boolean any = false;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += value(line);
                any = true;
            }
        }
        return any ? used / (1024.0 * 1024.0) : Double.NaN;
    }

    private static double value(String line) {
        String[] parts = line.strip().split("\\s+");
        return Double.parseDouble(parts[parts.length - 1]);
    }
}
