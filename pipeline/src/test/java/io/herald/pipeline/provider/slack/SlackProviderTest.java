package io.herald.pipeline.provider.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.slack.SlackConfig;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.RateLimitedProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackProviderTest {

    private static final String PATH = "/services/T000/B000/secretHookPart123";

    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer fake;
    private SlackProvider provider;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        provider = provider(1000, Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        provider.close();
        fake.stop();
    }

    private SlackProvider provider(int rateLimit, Duration period) {
        return new SlackProvider(
                new SlackConfig(
                        true, 1, Fakes.SEND_TIMEOUT, rateLimit, period, "", Secret.of(Fakes.baseUrl(fake) + PATH)),
                Clock.systemUTC());
    }

    private void answer(int status, String body) {
        fake.stubFor(
                post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    private JsonNode sent() throws Exception {
        return json.readTree(fake.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void okAnswerIsDeliveredAndTheMessageIsBlockKit() throws Exception {
        answer(200, "ok");

        assertThat(provider.send(Fixtures.envelope("slack", "U024BE7LH"))).isEqualTo(new Outcome.Delivered("ok"));

        JsonNode body = sent();
        assertThat(body.path("text").asText()).startsWith("<@U024BE7LH> Job 42 ended");
        assertThat(body.path("blocks").path(0).path("type").asText()).isEqualTo("header");
        assertThat(body.path("blocks").toString())
                .contains("*Partition*\\ncompute")
                .contains("<https://hpc.example.org/jobs/42|Job output>");
    }

    @Test
    void invalidPayloadIsRejected() {
        answer(400, "invalid_payload");

        assertThat(provider.send(Fixtures.envelope("slack", "x")))
                .isEqualTo(new Outcome.Rejected("Slack 400: invalid_payload"));
    }

    @Test
    void revokedWebhookMeansTheProviderIsDown() {
        answer(403, "invalid_token");

        assertThat(provider.send(Fixtures.envelope("slack", "x")))
                .isEqualTo(new Outcome.ProviderDown("Slack 403: invalid_token"));
    }

    @Test
    void rateLimitHoldsBackTheNextMessageWhenItCannotWaitLongEnough() {
        // As the pipeline builds it (Providers.fromConfig): behind the rate limit of its block.
        RateLimitedProvider limited =
                new RateLimitedProvider(provider, 1, Duration.ofSeconds(5), Duration.ofMillis(2000), Clock.systemUTC());
        answer(200, "ok");

        assertThat(limited.send(Fixtures.envelope("slack", "x"))).isInstanceOf(Outcome.Delivered.class);
        Outcome second = limited.send(Fixtures.envelope("slack", "x"));

        // The next permit is 5 s away, more than half the 2 s timeout: the message is retried, not sent.
        assertThat(second).isInstanceOf(Outcome.Retry.class);
        assertThat(fake.getAllServeEvents()).hasSize(1);
    }

    @Test
    void nastyJobNameIsEscapedForMrkdwnAndReadsAsWritten() throws Exception {
        answer(200, "ok");

        provider.send(Fixtures.nasty("slack", "x"));

        JsonNode body = sent();
        // Only mrkdwn is parsed by Slack; plain_text (the header) shows exactly what it holds.
        body.findParents("type").stream()
                .filter(n -> "mrkdwn".equals(n.path("type").asText()))
                .forEach(n -> assertThat(n.path("text").asText()).doesNotContain("<script>"));
        assertThat(body.path("text").asText()).doesNotContain("<script>");
        assertThat(body.path("blocks").path(0).path("text").path("type").asText())
                .isEqualTo("plain_text");
        assertThat(body.path("blocks").path(0).path("text").path("text").asText())
                .isEqualTo("Job 42 (" + Fixtures.NASTY_JOB + ") ended");
        String section = body.path("blocks").path(1).path("text").path("text").asText();
        assertThat(section)
                .isEqualTo("Job run \"α=0.5\" &lt;script&gt;alert(1)&lt;/script&gt; $(id) café 🚀 finished.");
    }

    @Test
    void callerTextCannotNotifyAChannelOrAUser() throws Exception {
        answer(200, "ok");
        String trap = "<!channel> <!here> <!everyone> <@U024BE7LH> <!subteam^S0614TZR7> @channel @here";
        Content content = Content.of("Title " + trap, "Text " + trap)
                .withFacts(List.of(new Fact("Fact " + trap, trap)))
                .withHints(List.of("Hint " + trap));

        provider.send(Envelope.create("slack", "x", content, Origin.api("test"), Fixtures.NOW));

        JsonNode body = sent();
        List<JsonNode> mrkdwn = body.findParents("type").stream()
                .filter(n -> "mrkdwn".equals(n.path("type").asText()))
                .toList();
        List<String> parsed = new ArrayList<>(List.of(body.path("text").asText()));
        mrkdwn.forEach(n -> parsed.add(n.path("text").asText()));
        // Slack's special forms need a raw '<'; every mrkdwn object is verbatim (no automatic parsing).
        // The header is plain_text, which Slack never parses for mentions.
        assertThat(parsed)
                .hasSize(4)
                .noneMatch(t -> t.contains("<!") || t.contains("<@") || t.contains("@channel") || t.contains("@here"));
        assertThat(mrkdwn).allMatch(n -> n.path("verbatim").asBoolean(false));
    }
}
