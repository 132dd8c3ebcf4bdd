package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "30s, 30000",
        "2m, 120000",
        "1h, 3600000",
        "0s, 0",
        "' 30s ', 30000",
        "30 s, 30000",
        "12h, 43200000",
    })
    void parsesNumberWithUnit(String text, long millis) {
        assertThat(Durations.parse(text)).hasValue(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"30", "", "s", "1d", "-1s", "1.5s", "30S", "1h30m", "PT30S", "thirty seconds", "1234567890s"})
    void refusesAnythingElse(String text) {
        assertThat(Durations.parse(text)).as(text).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "3600000, 1h",
        "120000, 2m",
        "90000, 90s",
        "1500, 1500ms",
        "250, 250ms",
        "0, 0s",
    })
    void formatsInTheShortestExactUnit(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 999, 1000, 59_000, 60_000, 61_000, 3_600_000, 5_400_000, 43_200_000})
    void formattedTextParsesBackToTheSameDuration(long millis) {
        Duration d = Duration.ofMillis(millis);

        assertThat(Durations.parse(Durations.format(d))).hasValue(d);
    }
}
