package io.herald.pipeline.provider.mattermost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.config.ProviderConfig;
import io.herald.core.config.Secret;
import io.herald.pipeline.provider.CapturedLogs;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class MattermostProviderTest {

    private static final String PATH = "/hooks/xsecrethookid1234567";

    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer fake;
    private MattermostProvider provider;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        provider = new MattermostProvider(new ProviderConfig.Mattermost(true, 1, Duration.ofMillis(2000), 1000,
                Duration.ofSeconds(1), "", Secret.of(Fakes.baseUrl(fake) + PATH)), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        provider.close();
        fake.stop();
    }

    private void answer(int status, String body) {
        fake.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    private JsonNode sent() throws Exception {
        return json.readTree(fake.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void okAnswerIsDeliveredToTheTargetChannel() throws Exception {
        answer(200, "ok");

        assertThat(provider.send(Fixtures.envelope("mattermost", "town-square"))).isEqualTo(new Outcome.Delivered("ok"));

        JsonNode body = sent();
        assertThat(body.path("channel").asText()).isEqualTo("town-square");
        assertThat(body.path("text").asText()).startsWith("#### Job 42 ended").contains("| **Partition** | compute |");
    }

    @Test
    void rateLimitedIsRetriedAfterTheResetHeader() {
        fake.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429)
                .withHeader("X-Ratelimit-Limit", "10").withHeader("X-Ratelimit-Remaining", "0").withHeader("X-Ratelimit-Reset", "3")
                .withBody("{\"message\":\"too many requests\"}")));

        Outcome outcome = provider.send(Fixtures.envelope("mattermost", "x"));

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).after()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void invalidPayloadIsRejected() {
        answer(400, "{\"id\":\"web.incoming_webhook.parse.app_error\",\"message\":\"Unable to parse incoming data\"}");

        assertThat(provider.send(Fixtures.envelope("mattermost", "x"))).isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void deletedWebhookMeansTheProviderIsDown() {
        answer(404, "{\"message\":\"Unable to find the webhook\"}");

        assertThat(provider.send(Fixtures.envelope("mattermost", "x"))).isInstanceOf(Outcome.ProviderDown.class);
    }

    @Test
    void serverErrorIsRetried() {
        answer(503, "");

        assertThat(provider.send(Fixtures.envelope("mattermost", "x"))).isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void answerSlowerThanTheTimeoutIsRetried() {
        fake.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("ok").withFixedDelay(4000)));

        assertThat(provider.send(Fixtures.envelope("mattermost", "x"))).isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void nastyJobNameIsEscapedForMarkdownAndReadsAsWritten() throws Exception {
        answer(200, "ok");

        provider.send(Fixtures.nasty("mattermost", "x"));

        String text = sent().path("text").asText();
        assertThat(text).doesNotContain("<script>").contains("\\<script\\>alert\\(1\\)\\</script\\>");
        String unescaped = text.replaceAll("\\\\(.)", "$1");
        assertThat(unescaped).contains(Fixtures.NASTY_JOB);
    }

    @Test
    void webhookUrlAppearsInNoLogOrReason() {
        try (CapturedLogs logs = new CapturedLogs()) {
            answer(400, "bad " + PATH);
            Outcome outcome = provider.send(Fixtures.envelope("mattermost", "x"));

            assertThat(logs.text()).contains("mattermost").doesNotContain("xsecrethookid1234567");
            assertThat(outcome.toString()).doesNotContain("xsecrethookid1234567");
        }
    }
}
