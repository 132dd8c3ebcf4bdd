package io.herald.pipeline.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void deltaSecondsAreRead() {
        assertThat(RetryAfter.header("120", clock)).contains(Duration.ofSeconds(120));
    }

    @Test
    void httpDateIsReadRelativeToNow() {
        assertThat(RetryAfter.header("Sun, 22 Nov 2026 10:00:30 GMT", clock)).contains(Duration.ofSeconds(30));
    }

    @Test
    void fractionalSecondsKeepTheirMilliseconds() {
        assertThat(RetryAfter.seconds("0.347")).contains(Duration.ofMillis(347));
    }

    @Test
    void epochResetBecomesTheTimeLeft() {
        assertThat(RetryAfter.epochSeconds(Long.toString(clock.instant().getEpochSecond() + 42), clock))
                .contains(Duration.ofSeconds(42));
    }

    @Test
    void garbageIsIgnoredAndExtremesAreClamped() {
        assertThat(RetryAfter.header("soon", clock)).isEmpty();
        assertThat(RetryAfter.seconds("-5")).contains(Duration.ZERO);
        assertThat(RetryAfter.seconds("99999999")).contains(RetryAfter.MAX);
        assertThat(RetryAfter.millis(Long.MAX_VALUE)).isEqualTo(RetryAfter.MAX);
    }
}
