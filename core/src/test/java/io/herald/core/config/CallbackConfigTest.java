package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The callbacks section: off by default, its secret in Standard Webhooks' form or Herald does not start. */
class CallbackConfigTest {

    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void callbacksAreOffUntilASecretIsSet() {
        HeraldConfig.Callbacks callbacks = HeraldConfig.defaults().callbacks();

        assertThat(callbacks.enabled()).isFalse();
        assertThat(callbacks.retrySchedule())
                .containsExactly(
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(30),
                        Duration.ofHours(2),
                        Duration.ofHours(5),
                        Duration.ofHours(10));
        assertThat(callbacks.timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(callbacks.allowPrivateTargets()).isFalse();
    }

    @Test
    void aSecretInTheSpecsFormTurnsThemOn() {
        HeraldConfig config = new ConfigLoader(Map.of("HERALD_CALLBACKS_SECRET", SECRET)).load(Optional.empty());

        assertThat(config.callbacks().enabled()).isTrue();
        assertThat(config.callbacks().toString()).doesNotContain(SECRET);
    }

    @Test
    void everyKeyHasItsVariable() {
        HeraldConfig config = new ConfigLoader(Map.of(
                        "HERALD_CALLBACKS_SECRET", SECRET,
                        "HERALD_CALLBACKS_RETRY_SCHEDULE", "1s,2m",
                        "HERALD_CALLBACKS_TIMEOUT", "5s",
                        "HERALD_CALLBACKS_ALLOW_PRIVATE_TARGETS", "true",
                        "HERALD_CALLBACKS_QUEUE", "cb",
                        "HERALD_API_KEYS", "name=ci sha256=" + "b".repeat(64) + " senders=* rate=1/s",
                        "HERALD_CALLBACKS_KEY_DEFAULTS", "ci=https://hooks.example.org/h?a=b"))
                .load(Optional.empty());

        assertThat(config.callbacks().retrySchedule()).containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(2));
        assertThat(config.callbacks().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.callbacks().allowPrivateTargets()).isTrue();
        assertThat(config.callbacks().queue()).isEqualTo("cb");
        assertThat(config.callbacks().defaultUrls())
                .containsExactly(Map.entry("ci", "https://hooks.example.org/h?a=b"));
    }

    @Test
    void aSecretInAnyOtherFormStopsTheStartNamingTheKeyButNotTheValue() {
        String raw = "my-plain-webhook-password-123456";

        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_CALLBACKS_SECRET", raw)).load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("callbacks.secret (HERALD_CALLBACKS_SECRET)")
                .hasMessageContaining("whsec_")
                .hasMessageNotContaining(raw);
    }

    @Test
    void aRetryWaitBeyondSqssLongestVisibilityIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herald.yaml");
        Files.writeString(file, "callbacks:\n  retrySchedule: [5s, 13h]\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("callbacks.retrySchedule")
                .hasMessageContaining("12h");
    }

    @Test
    void aKeyDefaultMustNameAConfiguredKeyAndBeAnHttpUrl(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herald.yaml");
        Files.writeString(
                file,
                "api:\n  keys: ['name=ci sha256=" + "a".repeat(64) + " senders=* rate=10/s']\n"
                        + "callbacks:\n  keyDefaults: ['ci=ftp://hooks.example.com/t0ken',"
                        + " 'nobody=https://hooks.example.com/x?a=b']\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p)
                                .contains("callbacks.keyDefaults")
                                .contains("'ci'")
                                .contains("http or https")
                                .doesNotContain("t0ken"))
                        .anySatisfy(p -> assertThat(p).contains("'nobody' is not the name of a key")));
    }

    @Test
    void theCallbacksQueueMustNotBeADeliveryQueue() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_CALLBACKS_QUEUE", "herald-1")).load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("callbacks.queue (HERALD_CALLBACKS_QUEUE)");
    }
}
