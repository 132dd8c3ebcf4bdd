package io.herald.mailprog.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.envelope.Envelope;
import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.Shim;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While SQS is unreachable records wait in the spool; when it is back they are delivered, once. */
class SqsOutageTest {

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void recordsAreKeptWhileSqsIsDownAndDeliveredWhenItIsBack() throws Exception {
        int port = freePort();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        try (Harness h = new Harness(dir, "http://127.0.0.1:" + port, UnaryOperator.identity());
                Forwarder forwarder = h.forwarder(clock)) {
            Fixtures.Case c = Fixtures.caseNamed("array-task-begin-goslmailer-targets");
            assertThat(h.shim.run(c.args(), c.envEntries()).exitCode()).isZero();

            PassResult down = forwarder.pass(false);
            assertThat(down.delivered()).isZero();
            assertThat(down.waiting()).isEqualTo(1);
            assertThat(down.retryIn()).isEqualTo(Duration.ofMillis(50));
            assertThat(h.shim.records()).hasSize(1);

            clock.advance(Duration.ofMillis(60));
            assertThat(forwarder.pass(false).retryIn()).as("backoff doubles").isEqualTo(Duration.ofMillis(100));
            assertThat(h.shim.records()).hasSize(1);
            assertThat(h.failed()).isEmpty();

            try (EmbeddedSqs sqs = EmbeddedSqs.start(port)) {
                h.provision();
                assertThat(forwarder.pass(false).delivered())
                        .as("still backing off")
                        .isZero();
                clock.advance(Duration.ofMillis(150));
                PassResult up = forwarder.pass(false);
                assertThat(up.delivered()).isEqualTo(1);
                assertThat(up.retryIn()).isZero();
                assertThat(h.shim.records()).isEmpty();
                List<Envelope> sent = h.drain();
                assertThat(sent)
                        .extracting(e -> e.channel() + ":" + e.target())
                        .containsExactlyInAnyOrder(
                                "email:a@b.org", "msteams:bob", "telegram:123456", "email:carol@example.org");
            }
        }
    }

    @Test
    void theDaemonDeliversWhatWasSpooledDuringAnOutageOnceSqsReturns() throws Exception {
        int port = freePort();
        try (Harness h = new Harness(
                dir,
                "http://127.0.0.1:" + port,
                m -> m.toBuilder().scanInterval(Duration.ofMillis(100)).build())) {
            Forwarder forwarder = h.forwarder(Clock.systemUTC());
            // Passes that found SQS unreachable: the condition for "the daemon tried during the outage".
            AtomicInteger troubledPasses = new AtomicInteger();
            PassObserver troubles = new PassObserver() {
                @Override
                public void passed(PassResult result) {
                    if (result.sqsTrouble().isPresent() || result.unsent() > 0) {
                        troubledPasses.incrementAndGet();
                    }
                }

                @Override
                public void crashed(RuntimeException e) {
                    troubledPasses.incrementAndGet();
                }
            };
            try (ForwarderDaemon daemon = new ForwarderDaemon(
                            forwarder, h.shim.spool().resolve("new"), Duration.ofMillis(100), troubles)
                    .start()) {
                Fixtures.Case c = Fixtures.caseNamed("end-completed");
                Shim.Result r = h.shim.run(c.args(), c.envEntries());
                assertThat(r.exitCode()).isZero();
                int before = troubledPasses.get();
                await("the daemon tries SQS during the outage")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> troubledPasses.get() >= before + 2);
                assertThat(h.shim.records()).as("kept while SQS is down").hasSize(1);

                try (EmbeddedSqs sqs = EmbeddedSqs.start(port)) {
                    h.provision();
                    await("the spool emptied once SQS is back")
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> h.shim.records().isEmpty());
                    assertThat(h.drain())
                            .singleElement()
                            .satisfies(e -> assertThat(e.content().title())
                                    .isEqualTo("Job 4242001 (train_model) ended: COMPLETED, exit 0"));
                }
            }
        }
    }
}
