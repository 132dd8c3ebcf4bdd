package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) on the local stack
 * with the chaos demo, as {@code ./herald local --demo} runs it: SES broken from the page turns
 * unhealthy while SendGrid carries the traffic, and healed it carries traffic again. The steps are
 * in web-client/e2e/dashboard-test.mjs; the screenshots land in cli/target/browser-test.
 */
class DashboardBrowserTest {

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
    void anOperatorBreaksSesWatchesSendGridTakeOverThenHealsIt() throws Exception {
        BrowserScript.assumeWebClientBuilt();
        HeraldConfig d = HeraldConfig.defaults();
        // Free ports, and rests short enough that probes and recovery happen within the test's patience.
        stack = LocalStack.startWithDemo(new HeraldConfig(d.sqs(), new HeraldConfig.Api("127.0.0.1", 0, d.api().maxBodyBytes()),
                d.pipeline().withAdminPort(-1).withHealth(3, 2, Duration.ofSeconds(1))
                        .withRetryDelays(Duration.ofMillis(200), Duration.ofSeconds(1)),
                d.providers().withOutbox(new HeraldConfig.Outbox(true, 1, dir.resolve("outbox").toString())),
                d.receivers(), new HeraldConfig.Local(0, 0)));

        BrowserScript.Result result = BrowserScript.run("dashboard-test.mjs", stack.apiUrl());

        assertThat(result.finished()).as("browser test finished within 10 minutes").isTrue();
        assertThat(result.exitValue()).as(result.output()).isZero();
        assertThat(result.output()).contains("ok   a broken SES turns unhealthy")
                .contains("ok   SendGrid carries the traffic while SES delivers nothing")
                .contains("ok   a healed SES turns healthy again after its probes succeed");
        assertThat(BrowserScript.OUTPUT.resolve("dashboard-2-ses-broken.png")).exists();
    }
}
