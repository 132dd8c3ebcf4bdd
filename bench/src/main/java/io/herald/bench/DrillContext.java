package io.herald.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What the harness hands a drill.
 *
 * @param resultsDir where to write extra files (bench/results)
 * @param progress one line per step (stderr)
 * @param args the drill's own options, after its name
 */
public record DrillContext(Path resultsDir, PrintStream progress, List<String> args) {

    public DrillContext {
        args = List.copyOf(args);
    }
}
