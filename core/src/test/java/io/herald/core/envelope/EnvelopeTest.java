package io.herald.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each with… method changes its own field and copies every other one as it is. */
class EnvelopeTest {

    private final Envelope full =
            TestEnvelopes.fullyPopulated().withCategory("news").withCallbackUrl("https://hooks.example.org/herald");

    @Test
    void eachWithChangesOnlyItsField() {
        Envelope plain = TestEnvelopes.withText("x");

        assertThat(full.withTargetName("Al")).isEqualTo(expected(full, "targetName", "Al"));
        assertThat(full.withSender(new Sender("ops@example.org", "Ops")))
                .isEqualTo(expected(full, "sender", new Sender("ops@example.org", "Ops")));
        assertThat(full.withThrottleKey("k")).isEqualTo(expected(full, "throttleKey", "k"));
        assertThat(plain.withSlurm(full.slurm())).isEqualTo(expected(plain, "slurm", full.slurm()));
        assertThat(full.withCategory(Envelope.TRANSACTIONAL))
                .isEqualTo(expected(full, "category", Envelope.TRANSACTIONAL));
        assertThat(full.withCallbackUrl(null)).isEqualTo(expected(full, "callbackUrl", null));
    }

    /** {@code e} with one field replaced, built with the canonical constructor (not with the code under test). */
    private static Envelope expected(Envelope e, String field, Object value) {
        return new Envelope(
                e.v(),
                e.id(),
                e.channel(),
                e.target(),
                field.equals("targetName") ? (String) value : e.targetName(),
                field.equals("sender") ? (Sender) value : e.sender(),
                e.content(),
                e.origin(),
                field.equals("throttleKey") ? (String) value : e.throttleKey(),
                e.createdAt(),
                field.equals("slurm") ? (SlurmJob) value : e.slurm(),
                field.equals("category") ? (String) value : e.category(),
                field.equals("callbackUrl") ? (String) value : e.callbackUrl());
    }
}
