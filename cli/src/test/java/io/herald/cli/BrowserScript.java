package io.herald.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs one of web-client/e2e's browser tests ({@code @playwright/test}) in Debian's Chromium (through
 * e2e/run-browser-test.sh, which installs it when missing) against a running stack; screenshots land in
 * cli/target/browser-test.
 */
final class BrowserScript {

    static final Path WEB_CLIENT = Path.of("..", "web-client").toAbsolutePath().normalize();
    static final Path OUTPUT = Path.of("target", "browser-test").toAbsolutePath();

    /** What the test printed, one line per step ("ok ..." or "FAIL ...: why"), and how it ended. */
    record Result(boolean finished, int exitValue, String output) {}

    private BrowserScript() {}

    /** Skips the calling test when the web client was not built into the API (-Dherald.web.skip). */
    static void assumeWebClientBuilt() {
        Assumptions.assumeTrue(
                LocalStack.class.getResource("/web/index.html") != null,
                "the web client was not built into the API (-Dherald.web.skip)");
    }

    /**
     * Runs {@code e2e/<spec>} (e.g. {@code dashboard.e2e.ts}); skips the calling test when there is no Chromium and no
     * root to install it (exit 3).
     */
    static Result run(String spec, URI base) throws IOException, InterruptedException {
        return run(spec, base, java.util.Map.of());
    }

    /** As {@link #run(String, URI)}, with more environment for the script (e.g. where local mode's outbox is). */
    static Result run(String spec, URI base, java.util.Map<String, String> environment)
            throws IOException, InterruptedException {
        Path log = Files.createDirectories(OUTPUT).resolve(spec.replace(".e2e.ts", ".log"));
        ProcessBuilder builder = new ProcessBuilder(
                        "bash",
                        WEB_CLIENT.resolve("e2e/run-browser-test.sh").toString(),
                        base.toString(),
                        OUTPUT.toString(),
                        "e2e/" + spec)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process browser = builder.start();
        // Installing Chromium on a fresh machine is the slow part; the scripts themselves take seconds.
        boolean finished = browser.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            browser.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        Assumptions.assumeTrue(browser.exitValue() != 3, "no Chromium and no root to install it:\n" + output);
        return new Result(finished, browser.exitValue(), output);
    }
}
