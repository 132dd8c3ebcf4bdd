package io.herald.pipeline.provider.matrix;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.matrix.MatrixConfig;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MatrixProviderTest {

    private static final String TOKEN = "syt_bWF0cml4Ym90_secretAccessToken_1a2b3c";
    private static final String ROOM = "!abcDEF123:example.org";

    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer fake;
    private MatrixProvider provider;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        provider = new MatrixProvider(
                new MatrixConfig(
                        true,
                        1,
                        Fakes.SEND_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Fakes.baseUrl(fake) + "/",
                        Secret.of(TOKEN)),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        provider.close();
        fake.stop();
    }

    private void answer(int status, String body) {
        fake.stubFor(put(urlPathMatching("/_matrix/client/v3/rooms/.*/send/m.room.message/.*"))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    private JsonNode sent() throws Exception {
        return json.readTree(fake.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void sentEventIsDeliveredWithItsEventIdAndTheEnvelopeIdAsTransactionId() throws Exception {
        answer(200, "{\"event_id\":\"$YUwRidLecu:example.org\"}");
        Envelope envelope = Fixtures.envelope("matrix", ROOM);

        assertThat(provider.send(envelope)).isEqualTo(new Outcome.Delivered("$YUwRidLecu:example.org"));

        fake.verify(putRequestedFor(urlPathMatching(
                        "/_matrix/client/v3/rooms/%21abcDEF123%3Aexample.org/send/m.room.message/" + envelope.id()))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        JsonNode body = sent();
        assertThat(body.path("msgtype").asText()).isEqualTo("m.notice");
        assertThat(body.path("format").asText()).isEqualTo("org.matrix.custom.html");
        assertThat(body.path("formatted_body").asText()).contains("<tr><th>Partition</th><td>compute</td></tr>");
        assertThat(body.path("body").asText()).startsWith("Job 42 ended");
    }

    @Test
    void limitExceededIsRetriedAfterRetryAfterMs() {
        answer(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":2500}");

        Outcome outcome = provider.send(Fixtures.envelope("matrix", ROOM));

        assertThat(outcome)
                .isEqualTo(Outcome.Retry.slowDown(
                        Duration.ofMillis(2500), "Matrix 429 M_LIMIT_EXCEEDED: Too many requests"));
    }

    @Test
    void roomAliasIsRejectedWithTheReason() {
        Outcome outcome = provider.send(Fixtures.envelope("matrix", "#hpc:example.org"));

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) outcome).reason()).contains("room id");
        assertThat(fake.getAllServeEvents()).isEmpty();
    }

    @Test
    void nastyJobNameIsEscapedInTheHtmlBodyAndPlainInTheTextBody() throws Exception {
        answer(200, "{\"event_id\":\"$x\"}");

        provider.send(Fixtures.nasty("matrix", ROOM));

        JsonNode body = sent();
        assertThat(body.path("formatted_body").asText())
                .doesNotContain("<script>")
                .contains("run &quot;α=0.5&quot; &lt;script&gt;alert(1)&lt;/script&gt; $(id) café 🚀");
        assertThat(body.path("body").asText()).contains(Fixtures.NASTY_JOB);
    }

    @Test
    void callerTextCannotNotifyTheRoom() throws Exception {
        answer(200, "{\"event_id\":\"$e1\"}");

        provider.send(Fixtures.withText("matrix", "!room:example.org", "@room look, @alice"));

        JsonNode event = sent();
        // Intentional mentions: with m.mentions present (and empty) the legacy "@room in body" rule is off.
        assertThat(event.has("m.mentions")).isTrue();
        assertThat(event.path("m.mentions").size()).isZero();
        // For homeservers that still apply the legacy rules, "@room" is not in the body either.
        assertThat(event.path("body").asText())
                .doesNotContain("@room")
                .doesNotContain("@alice")
                .contains("@\u2060room look");
    }
}
