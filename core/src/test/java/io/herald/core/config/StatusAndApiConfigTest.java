package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings of the status store, idempotency, batching and API keys. */
class StatusAndApiConfigTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void defaultsKeepStatusSevenDaysAndIdempotencyKeysADay() {
        HeraldConfig d = HeraldConfig.defaults();

        assertThat(d.status().ttl()).isEqualTo(Duration.ofDays(7));
        assertThat(d.status().table()).isEqualTo("herald-status");
        assertThat(d.api().idempotencyWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(d.api().keys()).isEmpty();
        assertThat(d.api().open()).isFalse();
    }

    @Test
    void severalKeysFitOneEnvironmentVariableSeparatedByCommas() {
        HeraldConfig config = new ConfigLoader(Map.of(
                        "HERALD_API_KEYS",
                        "name=a sha256=" + HASH + " senders=* rate=1/s, name=b sha256=" + HASH.replace('9', '8')
                                + " senders=example.org|ops@other.org rate=5/m"))
                .load(Optional.empty());

        assertThat(config.api().keys()).hasSize(2);
        assertThat(config.api().keys().get(1)).endsWith("senders=example.org|ops@other.org rate=5/m");
    }

    @Test
    void statusSettingsHaveTheirVariables() {
        HeraldConfig config = new ConfigLoader(Map.of(
                        "HERALD_STATUS_TABLE", "notifications",
                        "HERALD_STATUS_TTL", "48h",
                        "HERALD_STATUS_ENDPOINT", "http://127.0.0.1:8000",
                        "HERALD_LOCAL_DYNAMODB_PORT", "0",
                        "HERALD_API_BATCH_WAIT", "5ms"))
                .load(Optional.empty());

        assertThat(config.status())
                .isEqualTo(new HeraldConfig.Status(
                        "http://127.0.0.1:8000", "us-east-1", "notifications", Duration.ofHours(48)));
        assertThat(config.local().dynamodbPort()).isZero();
        assertThat(config.api().batchWait()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void badStatusSettingsAreNamedWithTheirVariables() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "HERALD_STATUS_TABLE", "ab",
                                "HERALD_STATUS_TTL", "10m",
                                "HERALD_STATUS_ENDPOINT", "dynamo",
                                "HERALD_API_BATCH_WAIT", "1s"))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("status.table (HERALD_STATUS_TABLE): 'ab' is not a DynamoDB table name")
                .hasMessageContaining("status.ttl (HERALD_STATUS_TTL): must be between 1h and 8760h")
                .hasMessageContaining("status.endpoint (HERALD_STATUS_ENDPOINT): 'dynamo' is not an http(s) URL")
                .hasMessageContaining("api.batchWait (HERALD_API_BATCH_WAIT): must be between 0s and 100ms");
    }

    @Test
    void selfServiceLinksAreOffByDefaultAndOnWithAUrlASecretAndAMailDomain() {
        assertThat(HeraldConfig.defaults().api().selfService().enabled()).isFalse();

        HeraldConfig config = new ConfigLoader(Map.of(
                        "HERALD_API_SELF_SERVICE_PUBLIC_URL", "https://herald.example.org",
                        "HERALD_API_SELF_SERVICE_LINK_SECRET", "s".repeat(40),
                        "HERALD_API_SELF_SERVICE_LINK_VALIDITY", "10m",
                        "HERALD_UNSUBSCRIBE_SECRET", "u".repeat(40),
                        "HERALD_MAILPROG_MAIL_DOMAIN", "cluster.example.org"))
                .load(Optional.empty());

        assertThat(config.api().selfService().enabled()).isTrue();
        assertThat(config.api().selfService().linkValidity()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.api().selfService().toString())
                .as("the secret never prints")
                .doesNotContain("sss");
        assertThat(config.api().selfService().linksPerMinute())
                .as("the default global cap")
                .isEqualTo(30);
    }

    @Test
    void withoutAMailDomainLinksNeedLinkableChats() {
        Map<String, String> links = Map.of(
                "HERALD_API_SELF_SERVICE_PUBLIC_URL",
                "https://herald.example.org",
                "HERALD_API_SELF_SERVICE_LINK_SECRET",
                "s".repeat(40),
                "HERALD_UNSUBSCRIBE_SECRET",
                "u".repeat(40));
        Map<String, String> withChats = new java.util.HashMap<>(links);
        withChats.put("HERALD_MAILPROG_PREFERENCES_ENABLED", "true");

        assertThat(new ConfigLoader(withChats)
                        .load(Optional.empty())
                        .api()
                        .selfService()
                        .enabled())
                .isTrue();
        assertThatThrownBy(() -> new ConfigLoader(links).load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mailprog.preferences.enabled is false (no chats can be linked)");
    }

    @Test
    void badSelfServiceSettingsAreNamedWithTheirVariablesAndTheSecretIsNotShown() {
        String weak = "short-secret";
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "HERALD_API_SELF_SERVICE_PUBLIC_URL", "herald.example.org/page?x=1",
                                "HERALD_API_SELF_SERVICE_LINK_SECRET", weak,
                                "HERALD_API_SELF_SERVICE_LINKS_PER_HOUR", "0",
                                "HERALD_API_SELF_SERVICE_LINKS_PER_MINUTE", "20000",
                                "HERALD_API_SELF_SERVICE_SESSION_VALIDITY", "48h"))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("api.selfService.publicUrl (HERALD_API_SELF_SERVICE_PUBLIC_URL): "
                        + "'herald.example.org/page?x=1' is not the page's address")
                .hasMessageContaining("api.selfService.linkSecret (HERALD_API_SELF_SERVICE_LINK_SECRET): is too short")
                .hasMessageContaining("mailprog.mailDomain (HERALD_MAILPROG_MAIL_DOMAIN) is empty")
                .hasMessageContaining("api.selfService.linksPerHour (HERALD_API_SELF_SERVICE_LINKS_PER_HOUR): "
                        + "must be between 1 and 100")
                .hasMessageContaining("api.selfService.linksPerMinute (HERALD_API_SELF_SERVICE_LINKS_PER_MINUTE): "
                        + "must be between 1 and 10000")
                .hasMessageContaining("api.selfService.sessionValidity (HERALD_API_SELF_SERVICE_SESSION_VALIDITY)")
                .message()
                .doesNotContain(weak);
    }

    @Test
    void unsubscribeLinksNeedAStrongSecretOnceThereIsAPublicAddressAndTheSecretIsNotShown() {
        assertThat(new ConfigLoader(Map.of()).load(Optional.empty()).unsubscribeBaseUrl())
                .as("off by default: nowhere to point a link at")
                .isEmpty();
        String weak = "weak-unsubscribe-key";
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "HERALD_UNSUBSCRIBE_PUBLIC_URL",
                                "https://herald.example.org",
                                "HERALD_UNSUBSCRIBE_SECRET",
                                weak))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unsubscribe.secret (HERALD_UNSUBSCRIBE_SECRET): is too short")
                .message()
                .doesNotContain(weak);
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_UNSUBSCRIBE_PUBLIC_URL", "mail.example.org?x"))
                        .load(Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unsubscribe.publicUrl (HERALD_UNSUBSCRIBE_PUBLIC_URL): 'mail.example.org?x'")
                .hasMessageContaining("unsubscribe.secret (HERALD_UNSUBSCRIBE_SECRET): is not set");

        HeraldConfig on = new ConfigLoader(Map.of(
                        "HERALD_UNSUBSCRIBE_PUBLIC_URL",
                        "https://herald.example.org/",
                        "HERALD_UNSUBSCRIBE_SECRET",
                        "u".repeat(40)))
                .load(Optional.empty());
        assertThat(on.unsubscribeBaseUrl()).isEqualTo("https://herald.example.org");
        assertThat(on.unsubscribe().toString()).doesNotContain("uuuu");
    }
}
