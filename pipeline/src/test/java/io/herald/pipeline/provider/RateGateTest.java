package io.herald.pipeline.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateGateTest {

    @Test
    void sendsWithinTheLimitGoAtOnce() {
        RateGate gate = new RateGate("t", 3, Duration.ofSeconds(10), Duration.ofSeconds(2), Clock.systemUTC());

        assertThat(gate.enter()).isEmpty();
        assertThat(gate.enter()).isEmpty();
        assertThat(gate.enter()).isEmpty();
    }

    @Test
    void sendThatWouldWaitLongerThanHalfTheTimeoutIsRetriedInstead() {
        RateGate gate = new RateGate("t", 1, Duration.ofSeconds(10), Duration.ofSeconds(2), Clock.systemUTC());
        gate.enter();

        assertThat(gate.enter())
                .get()
                .extracting(Outcome.Retry::reason)
                .asString()
                .contains("local rate limit");
    }

    @Test
    void slowDownPausesEverySendForTheDelayAndHalvesTheRate() {
        RateGate gate = new RateGate("t", 8, Duration.ofSeconds(1), Duration.ofSeconds(2), Clock.systemUTC());

        gate.slowDown(Duration.ofSeconds(30));

        assertThat(gate.enter()).get().satisfies(r -> assertThat(r.after()).isGreaterThan(Duration.ofSeconds(25)));
        assertThat(gate.currentLimit()).isEqualTo(4);
    }

    @Test
    void shortPauseIsWaitedOutInsteadOfFailingTheSend() {
        // The pause (200 ms) is within half the timeout: the send waits it out here rather than being
        // handed back as a retry; a pause past that bound is a retry for the whole pause.
        ManualClock clock = ManualClock.atNow();
        RateGate gate = new RateGate("t", 8, Duration.ofSeconds(1), Duration.ofSeconds(2), clock);
        gate.slowDown(Duration.ofMillis(200));

        assertThat(gate.enter()).isEmpty();

        gate.slowDown(Duration.ofMillis(1200));
        assertThat(gate.enter()).get().extracting(Outcome.Retry::after).isEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void rateComesBackOneStepPerCalmPeriod() {
        ManualClock clock = ManualClock.atNow();
        RateGate gate = new RateGate("t", 4, Duration.ofMillis(500), Duration.ofSeconds(2), clock);
        gate.slowDown(Duration.ZERO);
        assertThat(gate.currentLimit()).isEqualTo(2);

        clock.advance(Duration.ofMillis(499));
        gate.succeeded();
        assertThat(gate.currentLimit()).as("within the calm period").isEqualTo(2);
        clock.advance(Duration.ofMillis(1));
        gate.succeeded();
        assertThat(gate.currentLimit()).isEqualTo(3);
        gate.succeeded();
        assertThat(gate.currentLimit()).as("one step per period").isEqualTo(3);
        clock.advance(Duration.ofMillis(500));
        gate.succeeded();
        assertThat(gate.currentLimit()).isEqualTo(4);
        clock.advance(Duration.ofMillis(500));
        gate.succeeded();
        assertThat(gate.currentLimit()).as("never past the configured limit").isEqualTo(4);
    }
}
