package io.herald.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a drill measured.
 *
 * @param figures JSON-able values (Map, List, String, Number, Boolean), written to bench/results/NAME.json
 * @param table a markdown table with a one-line caption, printed and collected into summary.md
 * @param charts plotted by the harness as bench/results/NAME-CHARTID.png
 */
public record DrillResult(Map<String, Object> figures, String table, List<Chart> charts) {

    /**
     * The figure under which a drill lists broken invariants, one sentence each (e.g. "lost 3 of 1000 messages").
     * Absent or empty when every invariant held.
     */
    public static final String VIOLATIONS = "violations";

    public DrillResult {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        charts = List.copyOf(charts);
    }

    /** The broken invariants this result reports, in the drill's words; empty when none. */
    public List<String> violations() {
        Object listed = figures.get(VIOLATIONS);
        if (listed instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return listed == null ? List.of() : List.of(String.valueOf(listed));
    }
}
