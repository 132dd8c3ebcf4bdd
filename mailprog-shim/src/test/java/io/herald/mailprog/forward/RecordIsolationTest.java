package io.herald.mailprog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.envelope.Envelope;
import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.slurm.Accounting;
import io.herald.mailprog.slurm.StatsLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad record never stops the others: whatever it makes the code throw, it goes to failed/ with its reason, the pass
 * goes on, and no record stays claimed. Real capture script, real ElasticMQ.
 */
class RecordIsolationTest {

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

    /** A capture of the end-completed case with some variables changed. */
    private static void capture(Harness h, Map<String, String> changes) throws Exception {
        Fixtures.Case c = Fixtures.caseNamed("end-completed");
        List<String> env = new ArrayList<>();
        c.env().forEach((k, v) -> env.add(k + "=" + changes.getOrDefault(k, v)));
        changes.forEach((k, v) -> {
            if (!c.env().containsKey(k)) {
                env.add(k + "=" + v);
            }
        });
        assertThat(h.shim.run(c.args(), env).exitCode()).isZero();
    }

    @Test
    void badRecordsOfEveryKindGoToFailedWithTheirReasonAndTheGoodOnesAreSent() throws Exception {
        try (Harness h = new Harness(dir, sqs.endpoint().toString(), UnaryOperator.identity())) {
            h.provision();
            h.drain();
            capture(h, Map.of("SLURM_JOB_NAME", "good-one"));
            // Instant cannot hold this: Instant.ofEpochSecond throws DateTimeException.
            capture(h, Map.of("SLURM_JOB_NAME", "far-future", "SLURM_JOB_END_TIME", "99999999999999999"));
            capture(h, Map.of("SLURM_JOB_NAME", "stats-explode"));
            capture(h, Map.of("SLURM_JOB_NAME", "good-two"));
            Path incoming = h.shim.spool().resolve("new");
            Files.write(incoming.resolve("empty.record"), new byte[0]);
            Files.write(
                    incoming.resolve("garbage.record"), "not a spool record at all\n".getBytes(StandardCharsets.UTF_8));
            Files.write(
                    incoming.resolve("truncated.record"),
                    "herald-mailprog 1\0004\0/usr/bin/x\0-s\0".getBytes(StandardCharsets.UTF_8));
            Fixtures.Case tooFew = Fixtures.caseNamed("argv-too-few-robustness");
            assertThat(h.shim.run(tooFew.args(), tooFew.envEntries()).exitCode())
                    .isZero();

            // A stand-in for a statistics bug: the real sacct path is tested with the fake sacct elsewhere;
            // here one job's statistics throw, as a parsing bug on odd sacct output would.
            Accounting exploding = event -> {
                if ("stats-explode".equals(event.name())) {
                    throw new IllegalStateException("sacct said something nobody expected");
                }
                return new StatsLookup.NotAsked();
            };
            PassResult pass;
            try (Forwarder forwarder = h.forwarder(Clock.systemUTC(), exploding)) {
                pass = forwarder.pass(true);
                assertThat(forwarder.pass(true).errors())
                        .as("a second pass finds nothing claimed or left")
                        .isEmpty();
            }

            List<Envelope> sent = h.drain();
            assertThat(sent)
                    .extracting(e -> e.slurm().name())
                    .contains("good-one", "good-two")
                    .doesNotContain("stats-explode");
            assertThat(h.shim.records())
                    .as("new/ is empty: every record was sent or set aside")
                    .isEmpty();
            List<String> failed =
                    h.failed().stream().map(p -> p.getFileName().toString()).toList();
            assertThat(failed).contains("empty.record", "garbage.record", "truncated.record");
            assertThat(pass.errors()).isEmpty();
            for (Path f : h.failed()) {
                assertThat(f.resolveSibling(f.getFileName() + ".reason"))
                        .as("reason beside " + f)
                        .isNotEmptyFile();
            }
            assertThat(reasons(h))
                    .anyMatch(r -> r.contains("IllegalStateException: sacct said something nobody expected"));
            // The parser may learn to read such a time one day; until then the record is set aside,
            // and either way it never holds up the others.
            boolean farFutureSent =
                    sent.stream().anyMatch(e -> "far-future".equals(e.slurm().name()));
            if (!farFutureSent) {
                assertThat(reasons(h)).anyMatch(r -> r.contains("DateTimeException"));
            }
            assertThat(pass.delivered() + pass.failed()).isEqualTo(8);
        }
    }

    private static List<String> reasons(Harness h) throws Exception {
        List<String> out = new ArrayList<>();
        for (Path f : h.failed()) {
            out.add(Files.readString(f.resolveSibling(f.getFileName() + ".reason")));
        }
        return out;
    }

    @Test
    void aRecordTheSinkCannotEncodeWaitsInsteadOfCrashingThePass() throws Exception {
        try (Harness h = new Harness(dir, sqs.endpoint().toString(), UnaryOperator.identity())) {
            h.provision();
            capture(h, Map.of());
            // A sink that breaks its promise not to throw: a stand-in for a bug, no real SQS behaves so.
            EnvelopeSink broken = envelopes -> {
                throw new IllegalStateException("bug");
            };
            try (Forwarder forwarder = h.forwarder(Clock.systemUTC(), broken)) {
                PassResult pass = forwarder.pass(true);
                assertThat(pass.waiting()).isEqualTo(1);
                assertThat(pass.failed()).isZero();
            }
            assertThat(h.shim.records()).hasSize(1);
            assertThat(h.failed()).isEmpty();
            // The next forwarder, with a working sink, sends it.
            try (Forwarder forwarder = h.forwarder(Clock.systemUTC())) {
                assertThat(forwarder.pass(true).delivered()).isEqualTo(1);
            }
            assertThat(h.shim.records()).isEmpty();
        }
    }
}
