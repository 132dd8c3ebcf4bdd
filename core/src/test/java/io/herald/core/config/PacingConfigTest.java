package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code pacing} section: per-domain rates of email. */
class PacingConfigTest {

    @Test
    void noDomainIsPacedByDefault() {
        HeraldConfig.Pacing pacing = HeraldConfig.defaults().pacing();

        assertThat(pacing.defaultRate()).isEqualTo("none");
        assertThat(pacing.domainRates()).isEmpty();
        assertThat(pacing.recovery()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void domainRatesReadPerSecondMinuteOrHourByLowerCaseDomain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herald.yaml");
        Files.writeString(
                file, "pacing:\n  defaultRate: 50/s\n  domains: [Gmail.com=10/s, outlook.com=600/m, tiny.org=36/h]\n");

        HeraldConfig.Pacing pacing =
                new ConfigLoader(Map.of()).load(Optional.of(file)).pacing();

        assertThat(pacing.domainRates())
                .containsExactly(
                        Map.entry("gmail.com", 10.0), Map.entry("outlook.com", 10.0), Map.entry("tiny.org", 0.01));
        assertThat(HeraldConfig.Pacing.perSecond(pacing.defaultRate())).isEqualTo(50.0);
    }

    @Test
    void theDomainsHaveTheirVariable() {
        HeraldConfig config = new ConfigLoader(Map.of("HERALD_PACING_DOMAINS", "gmail.com=10/s,yahoo.com=5/s"))
                .load(Optional.empty());

        assertThat(config.pacing().domainRates()).containsOnlyKeys("gmail.com", "yahoo.com");
    }

    @Test
    void aMalformedEntryIsRefusedNamingTheKeyAndTheForm(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herald.yaml");
        Files.writeString(file, "pacing:\n  domains: [gmail.com=fast]\n  defaultRate: 0/s\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pacing.domains")
                .hasMessageContaining("DOMAIN=RATE")
                .hasMessageContaining("pacing.defaultRate");
    }
}
