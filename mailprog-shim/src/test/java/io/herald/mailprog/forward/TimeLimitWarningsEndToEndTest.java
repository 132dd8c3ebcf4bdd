package io.herald.mailprog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.Fixtures.Case;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slurm checks time limits every 30 s, so a short job's 50/80/100 % warnings are captured within milliseconds (seen on
 * 22.05) and reached users in any order. They are folded into one message.
 */
class TimeLimitWarningsEndToEndTest {

    private static EmbeddedSqs sqs;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSqs() {
        sqs = EmbeddedSqs.start(0);
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    /** Captured as slurmctld might run them: the highest first. */
    private static void captureTogether(Harness h) throws Exception {
        for (String id : List.of("time-limit-100", "time-limit-50", "time-limit-80")) {
            Case c = Fixtures.caseNamed(id);
            assertThat(h.shim.run(c.args(), c.envEntries()).exitCode()).isZero();
        }
    }

    private static String fact(Envelope e, String label) {
        return e.content().facts().stream()
                .filter(f -> f.label().equals(label))
                .map(Fact::value)
                .findFirst()
                .orElse(null);
    }

    @Test
    void warningsCapturedTogetherWaitForEachOtherAndArriveAsOneMessageAboutTheHighest() throws Exception {
        try (Harness h = new Harness(dir, sqs.endpoint().toString(), UnaryOperator.identity())) {
            h.provision();
            h.drain();
            captureTogether(h);
            MutableClock clock = new MutableClock(Instant.now());

            try (Forwarder forwarder = h.forwarder(clock)) {
                assertThat(forwarder.pass(false).delivered())
                        .as("just captured: siblings may still come")
                        .isZero();
                assertThat(h.shim.records()).hasSize(3);

                clock.advance(Duration.ofSeconds(2));
                PassResult pass = forwarder.pass(false);
                assertThat(pass.delivered()).as(pass.toString()).isEqualTo(3);
            }
            List<Envelope> sent = h.drain();
            assertThat(sent).singleElement().satisfies(e -> {
                assertThat(e.content().title()).isEqualTo("Job 4242013 (bench) reached its time limit");
                assertThat(fact(e, "Warnings")).isEqualTo("50%, 80%, 100% of the time limit");
            });
            assertThat(h.shim.records()).as("every folded record is removed").isEmpty();
        }
    }

    @Test
    void aOnePassFlushFoldsThemAtOnce() throws Exception {
        try (Harness h = new Harness(dir, sqs.endpoint().toString(), UnaryOperator.identity())) {
            h.provision();
            h.drain();
            captureTogether(h);

            try (Forwarder forwarder = h.forwarder(new MutableClock(Instant.now()))) {
                assertThat(forwarder.pass(true).delivered()).isEqualTo(3);
            }
            assertThat(h.drain())
                    .singleElement()
                    .satisfies(e -> assertThat(fact(e, "Warnings")).isEqualTo("50%, 80%, 100% of the time limit"));
        }
    }

    @Test
    void aCaptureTimeFarAheadOfTheClockDoesNotHoldWarningsBack() throws Exception {
        // A spool on a file server whose clock runs ahead: the records look captured in the future.
        try (Harness h = new Harness(dir, sqs.endpoint().toString(), UnaryOperator.identity())) {
            h.provision();
            h.drain();
            captureTogether(h);

            try (Forwarder forwarder =
                    h.forwarder(new MutableClock(Instant.now().minus(Duration.ofMinutes(10))))) {
                assertThat(forwarder.pass(false).delivered()).isEqualTo(3);
            }
            assertThat(h.drain()).hasSize(1);
        }
    }
}
