package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.core.config.ApiKeyEntry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** {@code logging.accessLog}: one line per request with the key's name, never the key or the body. */
class AccessLogTest {

    private static final String TOKEN = "ci-" + UUID.randomUUID();

    private final ApiTestbed bed = new ApiTestbed();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);

    @BeforeEach
    void listen() {
        logged.start();
        accessLogger.addAppender(logged);
    }

    @AfterEach
    void stop() {
        accessLogger.detachAppender(logged);
        bed.close();
    }

    private HeraldApi start(boolean accessLog) {
        ApiKeyEntry key = ((ApiKeyEntry.Parsed.Valid)
                        ApiKeyEntry.parse("name=ci sha256=" + ApiKeyEntry.hash(TOKEN) + " senders=* rate=1000/s"))
                .entry();
        return bed.start(
                b -> b.access(ApiAccess.keys(List.of(key), System::nanoTime)).accessLog(accessLog));
    }

    @Test
    void eachRequestIsOneLineWithMethodPathStatusDurationAndTheKeysName() throws Exception {
        HeraldApi api = start(true);
        String body = "{\"to\": \"telegram:1\", \"from\": \"a@example.com\", \"text\": \"secret body text\"}";

        bed.post(api, "/v1/notifications?x=1", body, "Authorization", "Bearer " + TOKEN);
        bed.post(api, "/v1/notifications", body, "Authorization", "Bearer not-a-key");

        assertThat(logged.list).hasSize(2);
        ILoggingEvent accepted = logged.list.get(0);
        assertThat(accepted.getFormattedMessage()).matches("POST /v1/notifications 202 \\d+ ms key=ci");
        Map<String, Object> fields = accepted.getKeyValuePairs().stream()
                .collect(Collectors.toMap(kv -> kv.key, (KeyValuePair kv) -> kv.value));
        assertThat(fields)
                .containsEntry("method", "POST")
                .containsEntry("path", "/v1/notifications")
                .containsEntry("status", 202)
                .containsEntry("key", "ci")
                .containsKey("durationMs");
        assertThat(logged.list.get(1).getFormattedMessage()).matches("POST /v1/notifications 401 \\d+ ms key=-");
        for (ILoggingEvent event : logged.list) {
            assertThat(event.getFormattedMessage() + event.getKeyValuePairs())
                    .doesNotContain(TOKEN, "not-a-key", "secret body text", "x=1");
        }
    }

    @Test
    void anUnsubscribeLinksTokenIsNotLogged() throws Exception {
        HeraldApi api = start(true);
        String token = new io.herald.core.unsubscribe.UnsubscribeTokens(
                        io.herald.core.config.Secret.of("access-log-test-".repeat(3)))
                .issue("alice@uni.org", "newsletter");

        bed.get(api, "/u/" + token);

        assertThat(logged.list).hasSize(1);
        assertThat(logged.list.getFirst().getFormattedMessage()).matches("GET /u/\\{token} 404 \\d+ ms key=-");
        assertThat(logged.list.getFirst().getKeyValuePairs().toString()).doesNotContain(token);
    }

    @Test
    void offByDefault() throws Exception {
        HeraldApi api = start(false);

        bed.get(api, "/healthz");

        assertThat(logged.list).isEmpty();
    }
}
