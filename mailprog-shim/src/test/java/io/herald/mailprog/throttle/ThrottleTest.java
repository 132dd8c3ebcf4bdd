package io.herald.mailprog.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    @Test
    void notificationsUpToTheCapGoOutAndTheNextIsHeld() {
        Throttle t = new Throttle(3, Duration.ofMinutes(10));

        assertThat(t.tryAdmit("alice", T0)).isTrue();
        assertThat(t.tryAdmit("alice", T0)).isTrue();
        assertThat(t.tryAdmit("alice", T0)).isTrue();
        assertThat(t.tryAdmit("alice", T0)).isFalse();
        assertThat(t.tryAdmit("bob", T0)).as("caps are per user").isTrue();
    }

    @Test
    void onceHoldingANewNotificationJoinsTheDigestEvenWhenTheWindowHasRoom() {
        Throttle t = new Throttle(1, Duration.ofMinutes(10));
        t.tryAdmit("alice", T0);
        t.hold("alice", null);

        assertThat(t.tryAdmit("alice", T0.plus(Duration.ofMinutes(11)))).isFalse();
    }

    @Test
    void theDigestComesDueWhenTheWindowHasRoomAndCountsAsOneNotification() {
        Throttle t = new Throttle(2, Duration.ofMinutes(10));
        t.tryAdmit("alice", T0);
        t.tryAdmit("alice", T0.plusSeconds(60));
        t.hold("alice", null);
        t.hold("alice", null);

        assertThat(t.due(T0.plusSeconds(120))).isEmpty();
        Throttle.Due due = t.due(T0.plus(Duration.ofMinutes(10)).plusSeconds(1)).getFirst();
        assertThat(due.held()).hasSize(2);
        assertThat(t.heldCount()).isZero();
        assertThat(t.tryAdmit("alice", T0.plus(Duration.ofMinutes(10)).plusSeconds(2)))
                .as("the window holds the minute-1 notification and the digest")
                .isFalse();
    }

    @Test
    void drainReleasesEverythingHeldAtOnce() {
        Throttle t = new Throttle(1, Duration.ofHours(1));
        t.tryAdmit("alice", T0);
        t.hold("alice", null);
        t.hold("bob", null);

        assertThat(t.drain(T0)).hasSize(2);
        assertThat(t.heldCount()).isZero();
    }

    @Test
    void aCapOfZeroNeverHolds() {
        Throttle t = new Throttle(0, Duration.ofMinutes(1));
        for (int i = 0; i < 1000; i++) {
            assertThat(t.tryAdmit("alice", T0)).isTrue();
        }
    }
}
