package io.herald.bench;

import java.util.List;

/** A line chart the harness plots to bench/results/DRILL-ID.png; {@code id} is part of a file name. */
public record Chart(String id, String title, String xLabel, String yLabel, List<Series> series) {

    public Chart {
        series = List.copyOf(series);
    }
}
