package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.core.config.ApiKeyEntry;
import io.herald.core.config.ConfigException;
import io.herald.core.config.HeraldConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/** API keys as Bearer tokens: who may send, as whom, how often. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthApiTest {

    private static final String CI_TOKEN = "ci-" + UUID.randomUUID();
    private static final String OPS_TOKEN = "ops-" + UUID.randomUUID();

    private ApiTestbed bed;
    private HeraldApi api;
    private final AtomicLong nanos = new AtomicLong();

    private static ApiKeyEntry key(String text) {
        return ((ApiKeyEntry.Parsed.Valid) ApiKeyEntry.parse(text)).entry();
    }

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        // The ops key's limit is driven by a fake clock: 2 per minute, refilled only when the test says so.
        api = bed.start(b -> b.access(ApiAccess.keys(
                List.of(
                        key("name=ci sha256=" + ApiKeyEntry.hash(CI_TOKEN)
                                + " senders=example.com|alerts@other.org rate=1000/s"),
                        key("name=ops sha256=" + ApiKeyEntry.hash(OPS_TOKEN) + " senders=* rate=2/m")),
                nanos::get)));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private ApiTestbed.Answer send(String token, String body) throws Exception {
        return token == null
                ? bed.post(api, "/v1/notifications", body)
                : bed.post(api, "/v1/notifications", body, "Authorization", "Bearer " + token);
    }

    private static String from(String address) {
        return "{\"to\": \"telegram:1\", \"from\": \"" + address + "\", \"text\": \"hi\"}";
    }

    @Test
    void aRequestWithoutAKeyIs401WithAChallenge() throws Exception {
        ApiTestbed.Answer answer = send(null, from("a@example.com"));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"herald\"");
        assertThat(answer.errors())
                .containsExactly(Map.entry("base", "Missing API key: send it as Authorization: Bearer <key>"));
    }

    @Test
    void anUnknownKeyIs401() throws Exception {
        assertThat(send("not-a-key", from("a@example.com")).errors())
                .containsExactly(Map.entry("base", "Invalid API key"));
    }

    @Test
    void aKeyNotSentAsBearerIs401() throws Exception {
        ApiTestbed.Answer answer =
                bed.post(api, "/v1/notifications", from("a@example.com"), "Authorization", "Basic " + CI_TOKEN);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errors()).containsExactly(Map.entry("base", "Authorization must be Bearer <key>"));
    }

    @Test
    void theGomailEndpointNeedsAKeyToo() throws Exception {
        assertThat(bed.post(api, "/email/send", bed.validEmail()).status()).isEqualTo(401);
        assertThat(bed.post(api, "/email/send", bed.validEmail(), "Authorization", "Bearer " + CI_TOKEN)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aKeySendsFromItsDomainsAndAddressesAndIsNamedAsTheOrigin() throws Exception {
        assertThat(send(CI_TOKEN, from("anyone@example.com")).status()).isEqualTo(202);
        assertThat(send(CI_TOKEN, from("alerts@other.org")).status()).isEqualTo(202);
    }

    @Test
    void aSenderTheKeyMayNotUseIs403OnThatField() throws Exception {
        ApiTestbed.Answer notifications = send(CI_TOKEN, from("boss@other.org"));
        ApiTestbed.Answer email = bed.post(
                api,
                "/email/send",
                bed.email("ceo@evil.example", "to@example.com", "s", "b"),
                "Authorization",
                "Bearer " + CI_TOKEN);

        assertThat(notifications.status()).isEqualTo(403);
        assertThat(notifications.errors())
                .containsExactly(Map.entry("from", "API key 'ci' may not send as boss@other.org"));
        assertThat(email.status()).isEqualTo(403);
        assertThat(email.errors())
                .containsExactly(Map.entry("fromEmail", "API key 'ci' may not send as ceo@evil.example"));
    }

    @Test
    void beyondItsRateAKeyGets429WithRetryAfterUntilTheBucketRefills() throws Exception {
        assertThat(send(OPS_TOKEN, from("a@b.org")).status()).isEqualTo(202);
        assertThat(send(OPS_TOKEN, from("a@b.org")).status()).isEqualTo(202);

        ApiTestbed.Answer limited = send(OPS_TOKEN, from("a@b.org"));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("30");
        assertThat(limited.errors().get("base")).isEqualTo("Rate limit of API key 'ops' reached; retry in 30 s");
        assertThat(send(CI_TOKEN, from("a@example.com")).status())
                .as("other keys are not affected")
                .isEqualTo(202);

        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(send(OPS_TOKEN, from("a@b.org")).status()).isEqualTo(202);
    }

    @Test
    void readingAStatusNeedsAKey() throws Exception {
        String id = send(CI_TOKEN, from("a@example.com"))
                .json()
                .get("notifications")
                .get(0)
                .get("id")
                .asText();

        assertThat(bed.get(api, "/v1/notifications/" + id).status()).isEqualTo(401);
        assertThat(bed.get(api, "/v1/notifications/" + id, "Authorization", "Bearer " + CI_TOKEN)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void healthReadinessAndTheSpecNeedNoKey() throws Exception {
        for (String path : List.of("/healthz", "/readyz", "/openapi.json")) {
            assertThat(bed.get(api, path).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void tokensNeverReachTheLog() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            send(CI_TOKEN, from("a@example.com"));
            send("wrong-" + CI_TOKEN, from("a@example.com"));
            bed.post(api, "/email/send", "{\"email\": ", "Authorization", "Bearer " + CI_TOKEN);
        } finally {
            root.detachAppender(captured);
        }
        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(CI_TOKEN));
    }

    @Test
    void withoutKeysTheApiRefusesToStartUnlessOpenOnPurposeOrLocal() {
        HeraldConfig.Api noKeys = HeraldConfig.defaults().api();

        assertThatThrownBy(() -> ApiAccess.fromConfig(noKeys, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("api.keys (HERALD_API_KEYS): no API keys configured")
                .hasMessageContaining("HERALD_API_OPEN");
        assertThat(ApiAccess.fromConfig(noKeys.withKeys(true, List.of()), false).isOpen())
                .isTrue();
        assertThat(ApiAccess.fromConfig(noKeys, true).isOpen()).isTrue();
        assertThat(ApiAccess.fromConfig(
                                noKeys.withKeys(
                                        false,
                                        List.of("name=ci sha256=" + ApiKeyEntry.hash(CI_TOKEN)
                                                + " senders=* rate=1/s")),
                                true)
                        .keyNames())
                .containsExactly("ci");
    }
}
