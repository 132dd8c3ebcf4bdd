package io.herald.core.envelope;

import java.time.Instant;
import java.util.List;

/** Envelopes for tests: one with every field set, and plain ones of a chosen size. */
public final class TestEnvelopes {

    public static final Instant CREATED = Instant.parse("2026-01-05T09:11:40.123456789Z");

    private TestEnvelopes() {}

    /** Every field set, facts in a deliberately non-alphabetical order, Unicode in user text. */
    public static Envelope fullyPopulated() {
        Content content = new Content(
                "Slurm Job_id=4242035 Name=train_model Ended, Run time 00:00:37, COMPLETED, ExitCode 0",
                "Your job train_model finished.\nΑποτέλεσμα: ✓",
                "<p>Your job <b>train_model</b> finished.</p>",
                List.of(
                        new Fact("Partition", "compute"), new Fact("Exit code", "0:0"),
                        new Fact("Account", "phys_lab"), new Fact("CPU efficiency", "87 %")),
                List.of("memory was over-requested by 80 %", "consider --time=00:05:00"),
                List.of(
                        new Link("Job output", "https://hpc.example.org/jobs/4242035"),
                        new Link("Docs", "https://hpc.example.org/docs")));
        SlurmJob job = new SlurmJob(
                "4242035",
                "4243300",
                "3",
                "train \"model\", v2 | π",
                "alice",
                "hpc1",
                "compute",
                "Ended",
                "COMPLETED",
                "0:0",
                "01:36:40",
                "00:00:37",
                "/home/alice/projects/run42",
                "slurm-4242035.out",
                "slurm-4242035.err");
        return new Envelope(
                Envelope.VERSION,
                MessageIds.next(CREATED),
                "email",
                "alice@example.org",
                "Alice Example",
                new Sender("herald@example.org", "Herald"),
                content,
                Origin.slurm("alice", "hpc1"),
                "slurm:hpc1:alice",
                CREATED,
                job,
                null,
                null);
    }

    public static Envelope withText(String text) {
        return Envelope.create("email", "bob@example.org", Content.of("subject", text), Origin.api("tests"), CREATED);
    }

    /** An envelope whose JSON is exactly {@code bytes} long, padded with ASCII text. */
    public static Envelope ofEncodedSize(EnvelopeCodec codec, int bytes) {
        Envelope probe = withText("x");
        int base = EnvelopeCodec.utf8(codec.encode(probe)).length - 1;
        if (bytes <= base) {
            throw new IllegalArgumentException("an envelope cannot be smaller than " + (base + 1) + " bytes");
        }
        return new Envelope(
                probe.v(),
                probe.id(),
                probe.channel(),
                probe.target(),
                null,
                null,
                Content.of("subject", "x".repeat(bytes - base)),
                probe.origin(),
                null,
                probe.createdAt(),
                null,
                null,
                null);
    }
}
