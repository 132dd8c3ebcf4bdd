package io.herald.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The rules by which feedback replaces a stored state (DynamoStatusStore's conditions implement the same). */
class FeedbackStepTest {

    private static final DeliveryState SOFT = new DeliveryState.Bounced(false, "452", "ses");
    private static final DeliveryState HARD = new DeliveryState.Bounced(true, "550", "ses");
    private static final DeliveryState COMPLAINED = new DeliveryState.Complained("abuse", "ses");

    private static FeedbackStep to(DeliveryState state) {
        return new FeedbackStep("m", "e", "x", "ses", null, Instant.EPOCH, state);
    }

    @Test
    void feedbackReplacesDeliveredAndStatesThatAreNotFinal() {
        for (DeliveryState newState : new DeliveryState[] {SOFT, HARD, COMPLAINED}) {
            assertThat(to(newState).replaces(new DeliveryState.Delivered("ses", "p")))
                    .isTrue();
            assertThat(to(newState).replaces(new DeliveryState.Sending("ses"))).isTrue();
            assertThat(to(newState).replaces(new DeliveryState.Retrying(1, "429")))
                    .isTrue();
        }
    }

    @Test
    void aWorseVerdictReplacesAMilderOneNeverTheReverse() {
        assertThat(to(HARD).replaces(SOFT)).isTrue();
        assertThat(to(COMPLAINED).replaces(SOFT)).isTrue();
        assertThat(to(COMPLAINED).replaces(HARD)).isTrue();
        assertThat(to(SOFT).replaces(HARD)).isFalse();
        assertThat(to(SOFT).replaces(COMPLAINED)).isFalse();
        assertThat(to(HARD).replaces(COMPLAINED)).isFalse();
        assertThat(to(SOFT).replaces(SOFT)).isFalse();
        assertThat(to(HARD).replaces(HARD)).isFalse();
    }

    @Test
    void feedbackNeverReplacesAMessageNoProviderAccepted() {
        for (DeliveryState stored : new DeliveryState[] {
            new DeliveryState.Rejected("bad"),
            new DeliveryState.DeadLettered("gave up"),
            new DeliveryState.Suppressed("x")
        }) {
            assertThat(to(HARD).replaces(stored)).isFalse();
            assertThat(to(COMPLAINED).replaces(stored)).isFalse();
        }
        assertThat(to(null).replaces(new DeliveryState.Delivered("ses", "p"))).isFalse();
    }
}
