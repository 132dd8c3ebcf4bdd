package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings of pause switches and shared provider health. */
class ControlConfigTest {

    @Test
    void controlSettingsHaveTheirVariables() {
        HeraldConfig config = new ConfigLoader(Map.of(
                        "HERALD_CONTROL_REFRESH_INTERVAL", "500ms",
                        "HERALD_CONTROL_HEARTBEAT_INTERVAL", "5s",
                        "HERALD_CONTROL_STALE_AFTER", "20s",
                        "HERALD_CONTROL_PARK_DELAY", "15m"))
                .load(Optional.empty());

        assertThat(config.control())
                .isEqualTo(new HeraldConfig.Control(
                        Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMinutes(15)));
    }

    @Test
    void reportsThatVanishBetweenTwoHeartbeatsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_CONTROL_STALE_AFTER", "15s")).load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("control.staleAfter (HERALD_CONTROL_STALE_AFTER)")
                .hasMessageContaining("twice control.heartbeatInterval");
    }

    @Test
    void aParkDelayBeyondWhatSqsCanDelayIsRefused() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_CONTROL_PARK_DELAY", "16m")).load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("control.parkDelay (HERALD_CONTROL_PARK_DELAY): must be between 1s and 15m");
    }
}
