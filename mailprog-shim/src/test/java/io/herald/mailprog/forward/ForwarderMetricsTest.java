package io.herald.mailprog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.spool.Spool;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder's textfile for node_exporter, written after real passes over a real spool (the dash capture script)
 * against a real SQS engine that is first missing, then there.
 */
class ForwarderMetricsTest {

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The file's samples by series (name and labels), comments left out. */
    private static Map<String, Double> samples(Path file) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out;
    }

    @Test
    void theFileShowsTheBacklogWhileSqsIsDownAndTheCountsOnceItIsBack() throws Exception {
        int port = freePort();
        Path textfiles = Files.createDirectories(dir.resolve("textfile_collector"));
        try (Harness h = new Harness(dir, "http://127.0.0.1:" + port, UnaryOperator.identity())) {
            Fixtures.Case c = Fixtures.caseNamed("end-completed");
            assertThat(h.shim.run(c.args(), c.envEntries()).exitCode()).isZero();
            Files.writeString(h.shim.spool().resolve("new").resolve("garbage.record"), "not a spool record\n");
            Path record = h.shim.records().getFirst();
            // The clock stands 90 s after the capture, so the oldest record's age is known exactly.
            MutableClock clock = new MutableClock(
                    Files.getLastModifiedTime(record).toInstant().plus(Duration.ofSeconds(90)));
            ForwarderMetrics metrics = new ForwarderMetrics(new Spool(h.shim.spool()), textfiles, clock);
            Path file = textfiles.resolve(ForwarderMetrics.FILE_NAME);

            metrics.write();
            assertThat(samples(file))
                    .as("every counter exists from the start, at 0")
                    .containsEntry("herald_mailprog_forwarded_total", 0.0)
                    .containsEntry("herald_mailprog_send_failures_total", 0.0)
                    .containsEntry("herald_mailprog_quarantined_total", 0.0)
                    .containsEntry("herald_mailprog_pass_errors_total", 0.0)
                    .containsEntry("herald_mailprog_muted_total", 0.0);
            assertThat(Files.readString(file))
                    .contains(
                            "# HELP herald_mailprog_spool_oldest_age_seconds ",
                            "# TYPE herald_mailprog_forwarded_total counter");

            try (Forwarder forwarder = h.forwarder(clock)) {
                metrics.passed(forwarder.pass(false));
                assertThat(samples(file))
                        .as("SQS is down: the record waits")
                        .containsEntry("herald_mailprog_spool_waiting", 1.0)
                        .containsEntry("herald_mailprog_spool_oldest_age_seconds", 90.0)
                        .containsEntry("herald_mailprog_send_failures_total", 1.0)
                        .containsEntry("herald_mailprog_quarantined_total", 1.0)
                        .containsEntry("herald_mailprog_spool_failed", 1.0)
                        .containsEntry("herald_mailprog_forwarded_total", 0.0)
                        .containsEntry(
                                "herald_mailprog_last_pass_timestamp_seconds",
                                clock.instant().toEpochMilli() / 1000.0);

                try (EmbeddedSqs sqs = EmbeddedSqs.start(port)) {
                    h.provision();
                    clock.advance(Duration.ofSeconds(1));
                    metrics.passed(forwarder.pass(false));
                }
            }
            assertThat(samples(file))
                    .as("SQS took it")
                    .containsEntry("herald_mailprog_spool_waiting", 0.0)
                    .containsEntry("herald_mailprog_spool_oldest_age_seconds", 0.0)
                    .containsEntry("herald_mailprog_forwarded_total", 1.0)
                    .containsEntry("herald_mailprog_send_failures_total", 1.0)
                    .containsEntry("herald_mailprog_quarantined_total", 1.0);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as("node_exporter, another user, can read it")
                    .isEqualTo("rw-r--r--");
            try (var left = Files.list(textfiles)) {
                assertThat(left).as("no temporary file is left behind").containsExactly(file);
            }
        }
    }

    @Test
    void aDirectoryThatCannotBeWrittenDoesNotStopTheForwarder() throws Exception {
        Path missing = dir.resolve("no-such-dir");
        Spool spool = new Spool(dir.resolve("spool")).ensureDirectories();
        ForwarderMetrics metrics = new ForwarderMetrics(spool, missing, new MutableClock(java.time.Instant.EPOCH));

        metrics.write();
        metrics.crashed(new IllegalStateException("a pass crashed"));

        assertThat(missing).doesNotExist();
    }
}
