package io.herald.pipeline.provider;

import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.SlurmJob;
import java.time.Instant;
import java.util.List;

/** Envelopes the provider tests send. */
public final class Fixtures {

    /** A job name that tries every trick: quotes, HTML, shell, non-ASCII, an emoji (a surrogate pair). */
    public static final String NASTY_JOB = "run \"α=0.5\" <script>alert(1)</script> $(id) café 🚀";

    public static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    private Fixtures() {}

    public static Envelope envelope(String channel, String target) {
        Content content = Content.of("Job 42 ended", "The job finished.\nAll good.")
                .withFacts(List.of(new Fact("Partition", "compute"), new Fact("Exit code", "0:0")))
                .withHints(List.of("Memory was over-requested by 80 %"))
                .withLinks(List.of(new Link("Job output", "https://hpc.example.org/jobs/42")));
        return Envelope.create(channel, target, content, Origin.api("test"), NOW);
    }

    /** A notification about a job with {@link #NASTY_JOB} as its name, in every field that shows it. */
    public static Envelope nasty(String channel, String target) {
        Content content = Content.of("Job 42 (" + NASTY_JOB + ") ended", "Job " + NASTY_JOB + " finished.")
                .withFacts(List.of(new Fact("Job name", NASTY_JOB), new Fact("State", "COMPLETED")))
                .withHints(List.of("Hint about " + NASTY_JOB));
        return Envelope.create(channel, target, content, Origin.slurm("alice", "hpc"), NOW)
                .withSlurm(new SlurmJob(
                        "42",
                        null,
                        null,
                        NASTY_JOB,
                        "alice",
                        "hpc",
                        "compute",
                        "Ended",
                        "COMPLETED",
                        "0:0",
                        null,
                        "00:01:00",
                        null,
                        null,
                        null));
    }

    public static Envelope withText(String channel, String target, String text) {
        return Envelope.create(channel, target, Content.of("Long one", text), Origin.api("test"), NOW);
    }
}
