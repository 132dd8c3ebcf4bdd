package io.herald.mailprog.forward;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A missing queue, denied access and throttling are not the record's fault: it stays in new/, retried with the
 * forwarder's backoff, is never set aside, and the log says so once per change.
 */
class SqsPassingProblemsTest {

    /** SQS's JSON protocol as the real service speaks it, for the errors ElasticMQ cannot produce. */
    @RegisterExtension
    static WireMockExtension fakeSqs = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger forwarderLog = (Logger) LoggerFactory.getLogger(Forwarder.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        forwarderLog.addAppender(logs);
    }

    @AfterEach
    void detach() {
        forwarderLog.detachAppender(logs);
    }

    private List<String> warnings() {
        return logs.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static void capture(Harness h) throws Exception {
        Fixtures.Case c = Fixtures.caseNamed("end-completed");
        assertThat(h.shim.run(c.args(), c.envEntries()).exitCode()).isZero();
    }

    @Test
    void aQueueThatDoesNotExistYetKeepsTheRecordWaitingUntilItIsCreated() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0);
                Harness h = new Harness(dir, sqs.endpoint().toString(), UnaryOperator.identity());
                Forwarder forwarder = h.forwarder(clock)) {
            capture(h);

            for (int i = 0; i < 3; i++) {
                PassResult pass = forwarder.pass(false);
                assertThat(pass.waiting()).isEqualTo(1);
                assertThat(pass.failed()).isZero();
                assertThat(pass.sqsTrouble()).contains("QueueDoesNotExist");
                clock.advance(Duration.ofSeconds(1));
            }
            assertThat(h.shim.records()).hasSize(1);
            assertThat(h.failed()).as("never set aside for a missing queue").isEmpty();
            assertThat(warnings())
                    .as("said once, not every pass")
                    .singleElement()
                    .asString()
                    .contains("slurm-test", "does not exist", "stay in new/");

            h.provision();
            PassResult up = forwarder.pass(false);

            assertThat(up.delivered()).isEqualTo(1);
            assertThat(up.sqsTrouble()).isEmpty();
            assertThat(h.shim.records()).isEmpty();
            assertThat(h.drain()).hasSize(1);
            assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("SQS takes notifications again"));
        }
    }

    @Test
    void accessDeniedAndThrottlingKeepTheRecordWaitingAndAreLoggedOncePerChange() throws Exception {
        String url = fakeSqs.baseUrl() + "/000000000000/slurm-test";
        fakeSqs.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSQS.GetQueueUrl"))
                .willReturn(okJson("{\"QueueUrl\":\"" + url + "\"}")));
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        try (Harness h = new Harness(dir, fakeSqs.baseUrl(), UnaryOperator.identity());
                Forwarder forwarder = h.forwarder(clock)) {
            capture(h);

            sendAnswers(403, "AccessDenied", "com.amazon.coral.service#AccessDeniedException");
            for (int i = 0; i < 3; i++) {
                PassResult pass = forwarder.pass(false);
                assertThat(pass.sqsTrouble()).contains("AccessDenied");
                assertThat(pass.waiting()).isEqualTo(1);
                clock.advance(Duration.ofSeconds(1));
            }
            sendAnswers(400, "RequestThrottled", "com.amazonaws.sqs#RequestThrottled");
            for (int i = 0; i < 3; i++) {
                assertThat(forwarder.pass(false).sqsTrouble()).contains("RequestThrottled");
                clock.advance(Duration.ofSeconds(1));
            }

            assertThat(h.shim.records()).hasSize(1);
            assertThat(h.failed()).isEmpty();
            assertThat(warnings()).hasSize(2);
            assertThat(warnings().get(0)).contains("AccessDenied");
            assertThat(warnings().get(1)).contains("RequestThrottled");
        }
    }

    @Test
    void accessDeniedWhenLookingUpTheQueueKeepsTheRecordWaitingToo() throws Exception {
        fakeSqs.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSQS.GetQueueUrl"))
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withHeader("x-amzn-query-error", "AccessDenied;Sender")
                        .withBody(
                                "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":\"no\"}")));
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        try (Harness h = new Harness(dir, fakeSqs.baseUrl(), UnaryOperator.identity());
                Forwarder forwarder = h.forwarder(clock)) {
            capture(h);

            for (int i = 0; i < 2; i++) {
                PassResult pass = forwarder.pass(false);
                assertThat(pass.sqsTrouble()).contains("AccessDenied");
                assertThat(pass.waiting()).isEqualTo(1);
                clock.advance(Duration.ofSeconds(1));
            }

            assertThat(h.failed()).isEmpty();
            assertThat(warnings()).singleElement().asString().contains("HTTP 403 (AccessDenied)");
        }
    }

    private static void sendAnswers(int status, String queryCode, String type) {
        fakeSqs.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessageBatch"))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withHeader("x-amzn-query-error", queryCode + ";Sender")
                        .withBody("{\"__type\":\"" + type + "\",\"message\":\"refused\"}")));
    }
}
