package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page in a real browser (Debian's Chromium driven by playwright-core) against the whole
 * local stack, as {@code ./herald local} runs it: field errors, the server's refusals, then a real
 * send followed until the pipeline has delivered it. The steps are in
 * web-client/e2e/browser-test.mjs; the screenshots land in cli/target/browser-test.
 */
class WebClientBrowserTest {

    private static final Path WEB_CLIENT = Path.of("..", "web-client").toAbsolutePath().normalize();
    private static final Path SCREENSHOTS = Path.of("target", "browser-test").toAbsolutePath();

    @TempDir
    Path dir;

    private LocalStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPersonSeesFieldErrorsThenSendsAndWatchesTheMessageBeingDelivered() throws Exception {
        Assumptions.assumeTrue(LocalStack.class.getResource("/web/index.html") != null,
                "the web client was not built into the API (-Dherald.web.skip)");
        HeraldConfig d = HeraldConfig.defaults();
        // Every port free-picked, so the test runs beside a `./herald local` on the defaults.
        stack = LocalStack.start(new HeraldConfig(d.sqs(), new HeraldConfig.Api("127.0.0.1", 0, d.api().maxBodyBytes()),
                d.pipeline().withAdminPort(0),
                d.providers().withOutbox(new HeraldConfig.Outbox(true, 1, dir.resolve("outbox").toString())),
                d.receivers(), new HeraldConfig.Local(0, 0)));
        Path log = Files.createDirectories(SCREENSHOTS).resolve("browser-test.log");

        Process browser = new ProcessBuilder("bash", WEB_CLIENT.resolve("e2e/run-browser-test.sh").toString(),
                stack.apiUrl().toString(), SCREENSHOTS.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Installing Chromium on a fresh machine is the slow part; the test itself takes seconds.
        boolean finished = browser.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            browser.destroyForcibly();
        }
        String output = Files.readString(log);
        Assumptions.assumeTrue(browser.exitValue() != 3, "no Chromium and no root to install it:\n" + output);

        assertThat(finished).as("browser test finished within 10 minutes").isTrue();
        assertThat(browser.exitValue()).as(output).isZero();
        assertThat(output).contains("ok   the status goes live until delivered");
        assertThat(SCREENSHOTS.resolve("3-delivered.png")).exists();
    }
}
