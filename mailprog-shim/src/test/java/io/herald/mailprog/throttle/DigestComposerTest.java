package io.herald.mailprog.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.envelope.Content;
import io.herald.core.envelope.Fact;
import io.herald.mailprog.slurm.JobEvent;
import io.herald.mailprog.slurm.MailType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestComposerTest {

    private static Held held(String task, Instant at) {
        JobEvent e = new JobEvent(
                "43001" + task,
                "4300100",
                task,
                false,
                20,
                null,
                null,
                "sweep",
                "alice",
                null,
                "hpc1",
                null,
                null,
                null,
                MailType.END,
                "COMPLETED",
                0,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "alice",
                List.of());
        return new Held("f" + task, e, List.of(), at);
    }

    private static List<Held> items() {
        // Capture times carry nanoseconds (file times); people want seconds.
        return List.of(
                held("1", Instant.parse("2026-12-07T14:03:12.123456789Z")),
                held("2", Instant.parse("2026-12-07T14:05:40.987654321Z")));
    }

    private static String between(Content c) {
        return c.facts().stream()
                .filter(f -> f.label().equals("Between"))
                .map(Fact::value)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void timesAreShownToTheSecondWithTheirZone() {
        Content c = new DigestComposer(10, Duration.ofMinutes(10), ZoneOffset.UTC).compose("alice", items());

        assertThat(between(c)).isEqualTo("2026-12-07 14:03:12 UTC and 2026-12-07 14:05:40 UTC");
    }

    @Test
    void theConfiguredZoneIsUsed() {
        Content c =
                new DigestComposer(10, Duration.ofMinutes(10), ZoneId.of("Europe/Berlin")).compose("alice", items());

        assertThat(between(c)).isEqualTo("2026-12-07 15:03:12 CET and 2026-12-07 15:05:40 CET");
    }

    @Test
    void theFactsAreNotRepeatedInTheText() {
        Content c = new DigestComposer(10, Duration.ofMinutes(10), ZoneOffset.UTC).compose("alice", items());

        c.facts().forEach(f -> assertThat(c.text()).doesNotContain(f.label() + ": " + f.value()));
        assertThat(c.text()).contains("Latest:", "4300100_2 (sweep) ended");
    }
}
