package io.herald.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

    @Test
    void delayDoublesWithEachAttemptWithinItsJitterBand() {
        for (int attempt = 1; attempt <= 6; attempt++) {
            long ceiling = 2000L << (attempt - 1);
            assertThat(backoff.delay(attempt, Duration.ZERO, 0.0).toMillis())
                    .as("attempt %d low", attempt)
                    .isEqualTo(ceiling / 2);
            assertThat(backoff.delay(attempt, Duration.ZERO, 0.999999).toMillis())
                    .as("attempt %d high", attempt)
                    .isBetween(ceiling - 1, ceiling);
        }
    }

    @Test
    void delayGrowsWithAttemptsWhateverTheJitter() {
        Duration previousHigh = Duration.ZERO;
        for (int attempt = 1; attempt <= 7; attempt++) {
            Duration low = backoff.delay(attempt, Duration.ZERO, 0.0);
            assertThat(low).isGreaterThanOrEqualTo(previousHigh.dividedBy(2));
            previousHigh = backoff.delay(attempt, Duration.ZERO, 0.999);
        }
    }

    @Test
    void delayIsCappedAtTheMaximum() {
        assertThat(backoff.delay(30, Duration.ZERO, 0.999)).isLessThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.delay(1000, Duration.ZERO, 0.0))
                .isEqualTo(Duration.ofMinutes(5).dividedBy(2));
    }

    @Test
    void theProvidersRetryAfterWinsWhenLonger() {
        assertThat(backoff.delay(1, Duration.ofSeconds(30), 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(8, Duration.ofSeconds(1), 0.0)).isEqualTo(Duration.ofMillis(128_000));
    }

    @Test
    void aStepDoublesFromTheBaseUpToTheMaximumWithoutJitter() {
        Backoff steps = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

        assertThat(steps.step(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(steps.step(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(steps.step(8)).isEqualTo(Duration.ofMillis(25_600));
        assertThat(steps.step(9)).isEqualTo(Duration.ofSeconds(30));
        assertThat(steps.step(1_000)).isEqualTo(Duration.ofSeconds(30));
    }
}
