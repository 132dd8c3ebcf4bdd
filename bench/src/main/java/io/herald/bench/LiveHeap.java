package io.herald.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM (a drill's child): {@code jcmd <pid> GC.run}, then the "used" of {@code GC.heap_info},
 * in MiB. What survives a full collection is what the process holds on to, which is what a slow client or an amplified
 * answer would make grow.
 */
final class LiveHeap {

    private static final Pattern USED = Pattern.compile("\\bused (\\d+)K");

    private LiveHeap() {}

    /** @return the live heap in MiB, or NaN when jcmd is missing or says nothing usable */
    static double mebibytes(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return Double.NaN;
        }
        try {
            run(jcmd, pid, "GC.run");
            Matcher used = USED.matcher(run(jcmd, pid, "GC.heap_info"));
            return used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static String run(Path jcmd, long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
