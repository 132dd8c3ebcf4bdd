package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code logging} section: format, per-logger levels, the API's access log. */
class LoggingConfigTest {

    @Test
    void loggingSettingsHaveTheirVariables() {
        HeraldConfig config = new ConfigLoader(Map.of(
                        "HERALD_LOGGING_FORMAT", "json",
                        "HERALD_LOGGING_LEVEL", "io.herald.pipeline=debug, root=WARN",
                        "HERALD_LOGGING_ACCESS_LOG", "true"))
                .load(Optional.empty());

        assertThat(config.logging())
                .isEqualTo(new HeraldConfig.Logging("json", List.of("io.herald.pipeline=debug", "root=WARN"), true));
        assertThat(config.logging().json()).isTrue();
        assertThat(config.logging().levels())
                .containsExactly(Map.entry("io.herald.pipeline", "DEBUG"), Map.entry("root", "WARN"));
    }

    @Test
    void defaultsAreTextAtInfoWithoutAccessLog() {
        HeraldConfig.Logging logging = HeraldConfig.defaults().logging();

        assertThat(logging.format()).isEqualTo("text");
        assertThat(logging.levels()).isEmpty();
        assertThat(logging.accessLog()).isFalse();
        assertThat(new ConfigLoader(Map.of()).keys()).contains("logging.format", "logging.level", "logging.accessLog");
    }

    @Test
    void anUnknownFormatAndALevelThatIsNotOneAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "HERALD_LOGGING_FORMAT", "xml", "HERALD_LOGGING_LEVEL", "io.herald=LOUD,justaname"))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "logging.format (HERALD_LOGGING_FORMAT): 'xml' is not a log format; use text or json")
                .hasMessageContaining("logging.level (HERALD_LOGGING_LEVEL): 'io.herald=LOUD' is not logger=LEVEL")
                .hasMessageContaining("'justaname' is not logger=LEVEL");
    }
}
