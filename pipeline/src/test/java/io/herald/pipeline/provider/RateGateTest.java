package io.herald.pipeline.provider;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

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

        assertThat(gate.enter()).get().extracting(Outcome.Retry::reason).asString().contains("local rate limit");
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
        RateGate gate = new RateGate("t", 8, Duration.ofSeconds(1), Duration.ofSeconds(2), Clock.systemUTC());
        gate.slowDown(Duration.ofMillis(200));
        long start = System.nanoTime();

        assertThat(gate.enter()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void rateComesBackOneStepPerCalmPeriod() throws Exception {
        RateGate gate = new RateGate("t", 4, Duration.ofMillis(500), Duration.ofSeconds(2), Clock.systemUTC());
        gate.slowDown(Duration.ZERO);
        assertThat(gate.currentLimit()).isEqualTo(2);

        Thread.sleep(600);
        gate.succeeded();
        assertThat(gate.currentLimit()).isEqualTo(3);
        gate.succeeded();
        assertThat(gate.currentLimit()).isEqualTo(3);
        Thread.sleep(600);
        gate.succeeded();
        assertThat(gate.currentLimit()).isEqualTo(4);
    }
}
