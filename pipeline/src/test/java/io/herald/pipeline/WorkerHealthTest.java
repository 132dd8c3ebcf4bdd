package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.control.WorkerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health rule alone, on a clock the test moves: no test here waits for openWait to pass. */
class WorkerHealthTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration OPEN_WAIT = Duration.ofSeconds(30);

    private final MovableClock clock = new MovableClock();
    private final WorkerHealth health = new WorkerHealth(3, 2, OPEN_WAIT, clock);
    private final List<WorkerHealth.Change> changes = new ArrayList<>();

    private static final class MovableClock extends Clock {
        private Instant now = START;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private void failTimes(int n) {
        for (int i = 0; i < n; i++) {
            health.failed(false);
        }
    }

    @Test
    void unhealthyThresholdFailuresInARowMakeItUnhealthyAndASuccessInBetweenStartsAgain() {
        health.onChange(changes::add);
        failTimes(2);
        health.succeeded(false);
        failTimes(2);
        assertThat(health.state()).isEqualTo(WorkerState.HEALTHY);

        health.failed(false);

        assertThat(health.state()).isEqualTo(WorkerState.UNHEALTHY);
        assertThat(health.unhealthySince()).isEqualTo(START);
        assertThat(changes).containsExactly(new WorkerHealth.Change(WorkerState.HEALTHY, WorkerState.UNHEALTHY, START));
    }

    @Test
    void itRestsForOpenWaitThenTakesExactlyOneProbeAtATime() {
        failTimes(3);

        assertThat(health.tryProbe()).as("still resting").isFalse();
        clock.advance(OPEN_WAIT);
        assertThat(health.tryProbe()).isTrue();
        assertThat(health.state()).isEqualTo(WorkerState.PROBING);
        assertThat(health.tryProbe()).as("one probe out at a time").isFalse();
        assertThat(health.tryCount()).as("no counted traffic while probing").isFalse();

        health.succeeded(true);

        assertThat(health.tryProbe())
                .as("the next probe, after the first came back")
                .isTrue();
    }

    @Test
    void healthyThresholdGoodProbesInARowHealItAndClearWhenItTurnedUnhealthy() {
        failTimes(3);
        clock.advance(OPEN_WAIT);
        health.tryProbe();
        health.succeeded(true);
        health.tryProbe();
        health.succeeded(true);

        assertThat(health.state()).isEqualTo(WorkerState.HEALTHY);
        assertThat(health.unhealthySince()).isNull();
    }

    @Test
    void aFailedProbeRestsAgainAtOnceAndKeepsWhenItFirstTurnedUnhealthy() {
        failTimes(3);
        clock.advance(OPEN_WAIT);
        health.tryProbe();

        health.failed(true);

        assertThat(health.state()).isEqualTo(WorkerState.UNHEALTHY);
        assertThat(health.unhealthySince()).isEqualTo(START);
        assertThat(health.tryProbe()).as("resting again from now").isFalse();
        clock.advance(OPEN_WAIT);
        assertThat(health.tryProbe()).isTrue();
    }

    @Test
    void aRejectedOrAbandonedProbeCountsNeitherWayButFreesTheWay() {
        failTimes(3);
        clock.advance(OPEN_WAIT);
        health.tryProbe();

        health.neutral(true);
        assertThat(health.tryProbe()).isTrue();
        health.probeAbandoned();

        assertThat(health.state()).isEqualTo(WorkerState.PROBING);
        assertThat(health.tryProbe()).isTrue();
    }

    @Test
    void aPeersReportRestsAHealthyWorkerOnlyOnce() {
        assertThat(health.restOnReport()).isTrue();
        assertThat(health.restOnReport()).as("already resting").isFalse();

        assertThat(health.state()).isEqualTo(WorkerState.UNHEALTHY);
        clock.advance(OPEN_WAIT.minusSeconds(1));
        assertThat(health.tryProbe()).isFalse();
    }

    @Test
    void aRecoveredWorkerCanFailAgainFromFreshCounters() {
        failTimes(2);
        health.restOnReport();
        clock.advance(OPEN_WAIT);
        health.tryProbe();
        health.succeeded(true);
        health.tryProbe();
        health.succeeded(true);

        failTimes(2);
        assertThat(health.state())
                .as("the two failures before it rested do not count")
                .isEqualTo(WorkerState.HEALTHY);
        health.failed(false);

        assertThat(health.state()).isEqualTo(WorkerState.UNHEALTHY);
        assertThat(health.unhealthySince()).isEqualTo(START.plus(OPEN_WAIT));
    }
}
