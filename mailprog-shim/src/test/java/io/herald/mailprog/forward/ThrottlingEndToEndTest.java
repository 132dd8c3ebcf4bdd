package io.herald.mailprog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.MailprogConfig;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.spool.SpoolFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 5,000-task array with ARRAY_TASKS: a handful of messages and one digest, nothing dropped. */
class ThrottlingEndToEndTest {

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

    /** Writes records as herald-mailprog does (tmp/ then rename), without 5,000 process starts. */
    private static void spoolArrayTasks(Path spool, int tasks) throws Exception {
        for (int task = 1; task <= tasks; task++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String state = task % 100 == 0 ? "FAILED" : "COMPLETED";
            String exit = task % 100 == 0 ? "1" : "0";
            long jobId = 5_000_000L + task;
            List<String> items = List.of(
                    SpoolFormat.HEADER,
                    "4",
                    "/usr/bin/herald-mailprog",
                    "-s",
                    "Slurm Array Task Job_id=4250000_" + task + " (" + jobId + ") Name=sweep Ended, Run time 00:01:00, "
                            + state + ", ExitCode " + exit,
                    "alice@example.org",
                    "SLURM_CLUSTER_NAME=hpc1",
                    "SLURM_JOB_ID=" + jobId,
                    "SLURM_ARRAY_JOB_ID=4250000",
                    "SLURM_ARRAY_TASK_ID=" + task,
                    "SLURM_ARRAY_TASK_COUNT=" + tasks,
                    "SLURM_JOB_NAME=sweep",
                    "SLURM_JOB_USER=alice",
                    "SLURM_JOB_MAIL_TYPE=Ended",
                    "SLURM_JOB_STATE=" + state,
                    "SLURM_JOB_EXIT_CODE2=" + exit + ":0");
            for (String item : items) {
                out.write(item.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            String name = String.format("%07d.1.test", task);
            Path tmp = spool.resolve("tmp").resolve(name);
            Files.write(tmp, out.toByteArray());
            Files.move(tmp, spool.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    @Test
    void aFiveThousandTaskArraySendsTheCapThenOneDigestAndDropsNothing() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
        try (Harness h = new Harness(
                dir,
                sqs.endpoint().toString(),
                m -> m.withThrottle(new MailprogConfig.Throttle(10, Duration.ofMinutes(10)))
                        .withSacct("", 1, Duration.ZERO))) {
            h.provision();
            h.drain();
            spoolArrayTasks(h.shim.spool(), 5000);

            try (Forwarder forwarder = h.forwarder(clock)) {
                PassResult first = forwarder.pass(false);
                assertThat(first.delivered()).isEqualTo(10);
                assertThat(first.held()).isEqualTo(4990);
                assertThat(h.drain()).hasSize(10);
                assertThat(h.shim.records())
                        .as("held notifications stay in the spool")
                        .hasSize(4990);

                clock.advance(Duration.ofMinutes(5));
                assertThat(forwarder.pass(false).delivered())
                        .as("still inside the window")
                        .isZero();
                assertThat(h.drain()).isEmpty();

                clock.advance(Duration.ofMinutes(6));
                PassResult digest = forwarder.pass(false);
                assertThat(digest.delivered()).isEqualTo(4990);
                assertThat(digest.held()).isZero();
            }
            List<Envelope> digests = h.drain();
            assertThat(digests).singleElement().satisfies(d -> {
                assertThat(d.channel() + ":" + d.target()).isEqualTo("email:alice@example.org");
                assertThat(d.content().title()).isEqualTo("4,990 more Slurm job notifications for alice on hpc1");
                assertThat(d.content().facts())
                        .contains(new Fact("Notifications", "4,990"), new Fact("States", "4,940 COMPLETED, 50 FAILED"));
                assertThat(d.content().facts().stream()
                                .filter(f -> f.label().equals("Jobs"))
                                .findFirst()
                                .orElseThrow()
                                .value())
                        .isEqualTo("4250000_[11-5000]");
                assertThat(d.content().text())
                        .contains("at most 10 notifications per 10m")
                        .contains("4250000_5000 (sweep) ended");
                assertThat(d.throttleKey()).isEqualTo("alice");
                assertThat(d.slurm()).isNull();
            });
            assertThat(h.shim.records()).isEmpty();
            assertThat(h.failed()).isEmpty();
        }
    }

    @Test
    void aOnePassFlushFoldsTheExcessIntoADigestAtOnce() throws Exception {
        try (Harness h = new Harness(
                dir,
                sqs.endpoint().toString(),
                m -> m.withThrottle(new MailprogConfig.Throttle(3, Duration.ofHours(1)))
                        .withSacct("", 1, Duration.ZERO))) {
            h.provision();
            h.drain();
            spoolArrayTasks(h.shim.spool(), 20);

            try (Forwarder forwarder = h.forwarder(new MutableClock(Instant.parse("2026-01-05T09:00:00Z")))) {
                assertThat(forwarder.pass(true).delivered()).isEqualTo(20);
            }

            List<Envelope> sent = h.drain();
            assertThat(sent).hasSize(4);
            assertThat(sent)
                    .filteredOn(e -> e.slurm() == null)
                    .singleElement()
                    .satisfies(d ->
                            assertThat(d.content().title()).startsWith("17 more Slurm job notifications for alice"));
            assertThat(h.shim.records()).isEmpty();
        }
    }
}
