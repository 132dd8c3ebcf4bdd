package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page in a real browser (Debian's Chromium driven by playwright-core) against the whole
 * local stack, as {@code ./herald local} runs it: field errors, the server's refusals, then a real
 * send followed until the pipeline has delivered it. The steps are in
 * web-client/e2e/browser-test.mjs; the screenshots land in cli/target/browser-test.
 */
class WebClientBrowserTest {

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
        BrowserScript.assumeWebClientBuilt();
        HeraldConfig d = HeraldConfig.defaults();
        // Every port free-picked, so the test runs beside a `./herald local` on the defaults.
        stack = LocalStack.start(new HeraldConfig(d.sqs(), new HeraldConfig.Api("127.0.0.1", 0, d.api().maxBodyBytes()),
                d.pipeline().withAdminPort(0),
                d.providers().withOutbox(new HeraldConfig.Outbox(true, 1, dir.resolve("outbox").toString())),
                d.receivers(), new HeraldConfig.Local(0, 0)));

        BrowserScript.Result result = BrowserScript.run("browser-test.mjs", stack.apiUrl());

        assertThat(result.finished()).as("browser test finished within 10 minutes").isTrue();
        assertThat(result.exitValue()).as(result.output()).isZero();
        assertThat(result.output()).contains("ok   the status goes live until delivered");
        assertThat(BrowserScript.OUTPUT.resolve("3-delivered.png")).exists();
    }
}
