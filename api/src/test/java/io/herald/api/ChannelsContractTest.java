package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.ApiKeyEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /v1/channels} derives from the provider registry, and the web page's tests run against a copy of its
 * answer (web-client/src/channels.json): the copy must be what the API answers, so a provider added to the registry
 * fails here until the page's tests see it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelsContractTest {

    private static final Path COPY = Path.of("..", "web-client", "src", "channels.json");

    private final ObjectMapper json = new ObjectMapper();
    private ApiTestbed bed;
    private HeraldApi api;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        api = bed.start(b -> b);
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    /** The answer, checked against openapi.json by the testbed. */
    private JsonNode channels() throws Exception {
        ApiTestbed.Answer answer = bed.get(api, "/v1/channels");
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void theWebPagesCopyIsWhatTheApiAnswers() throws Exception {
        JsonNode served = channels();

        assertThat(json.readTree(Files.readString(COPY)))
                .as(
                        "web-client/src/channels.json must equal GET /v1/channels; the API answers:%n%s",
                        json.writerWithDefaultPrettyPrinter().writeValueAsString(served))
                .isEqualTo(served);
    }

    @Test
    void everyChannelHasItsSchemeAndTheTargetRuleAClientCanApply() throws Exception {
        JsonNode served = channels();

        assertThat(served.path("defaultScheme").asText()).isEqualTo("mailto");
        assertThat(served.path("channels").findValuesAsText("channel")).contains("email", "telegram", "matrix", "ntfy");
        assertThat(served.path("schemes")).allSatisfy(s -> {
            assertThat(s.path("scheme").asText()).isNotBlank();
            assertThat(s.path("target").path("kind").asText()).isIn("any", "email", "pattern");
        });
    }

    @Test
    void itNeedsNoApiKey() throws Exception {
        bed.close();
        bed = new ApiTestbed();
        ApiKeyEntry key = ((ApiKeyEntry.Parsed.Valid)
                        ApiKeyEntry.parse("name=ci sha256=" + ApiKeyEntry.hash("tok") + " senders=* rate=1000/s"))
                .entry();
        api = bed.start(b -> b.access(ApiAccess.keys(List.of(key))));

        assertThat(channels().path("schemes").isArray()).isTrue();
    }
}
