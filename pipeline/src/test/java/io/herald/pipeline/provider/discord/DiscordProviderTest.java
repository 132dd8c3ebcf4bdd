package io.herald.pipeline.provider.discord;

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
import io.herald.core.provider.discord.DiscordConfig;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscordProviderTest {

    private static final String PATH = "/api/webhooks/1234567890/discordSecretToken_abc";
    private static final String SENT_PATH = PATH + "?wait=true";

    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer fake;
    private DiscordProvider provider;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        provider = new DiscordProvider(
                new DiscordConfig(
                        true,
                        1,
                        Fakes.SEND_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Secret.of(Fakes.baseUrl(fake) + PATH)),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        provider.close();
        fake.stop();
    }

    private void answer(int status, String body) {
        fake.stubFor(post(urlEqualTo(SENT_PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    private JsonNode sent() throws Exception {
        return json.readTree(fake.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void createdMessageIsDeliveredWithItsIdAndOnlyTheTargetMayBePinged() throws Exception {
        answer(200, "{\"id\":\"1180000000000000001\",\"type\":0,\"content\":\"\"}");

        assertThat(provider.send(Fixtures.envelope("discord", "80351110224678912")))
                .isEqualTo(new Outcome.Delivered("1180000000000000001"));

        JsonNode body = sent();
        assertThat(body.path("content").asText()).isEqualTo("<@80351110224678912>");
        assertThat(body.path("allowed_mentions").toString())
                .isEqualTo("{\"parse\":[],\"users\":[\"80351110224678912\"]}");
        JsonNode embed = body.path("embeds").path(0);
        assertThat(embed.path("title").asText()).isEqualTo("Job 42 ended");
        assertThat(embed.path("fields").path(0).path("name").asText()).isEqualTo("Partition");
        assertThat(embed.path("footer").path("text").asText()).startsWith("Hints: ");
    }

    @Test
    void noContentAnswerIsDelivered() {
        answer(204, "");

        assertThat(provider.send(Fixtures.envelope("discord", "x"))).isInstanceOf(Outcome.Delivered.class);
    }

    @Test
    void rateLimitedIsRetriedAfterTheFractionalSecondsInTheBody() {
        fake.stubFor(post(urlEqualTo(SENT_PATH))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("X-RateLimit-Reset-After", "0.347")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"You are being rate limited.\","
                                + "\"retry_after\":0.347,\"global\":false}")));

        Outcome outcome = provider.send(Fixtures.envelope("discord", "x"));

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).after()).isEqualTo(Duration.ofMillis(347));
    }

    @Test
    void emptyMessageIsRejected() {
        answer(400, "{\"message\":\"Cannot send an empty message\",\"code\":50006}");

        assertThat(provider.send(Fixtures.envelope("discord", "x")))
                .isEqualTo(new Outcome.Rejected("Discord 400: Cannot send an empty message (code 50006)"));
    }

    @Test
    void nastyJobNameIsEscapedForMarkdownAndReadsAsWritten() throws Exception {
        answer(204, "");

        provider.send(Fixtures.nasty("discord", "x"));

        JsonNode embed = sent().path("embeds").path(0);
        assertThat(embed.path("title").asText()).isEqualTo("Job 42 (" + Fixtures.NASTY_JOB + ") ended");
        String description = embed.path("description").asText();
        assertThat(description).doesNotContain("<script>").contains("\\<script\\>");
        assertThat(description.replaceAll("\\\\(.)", "$1")).contains(Fixtures.NASTY_JOB);
        assertThat(embed.path("fields").path(0).path("value").asText().replaceAll("\\\\(.)", "$1"))
                .isEqualTo(Fixtures.NASTY_JOB);
    }

    @Test
    void embedStaysWithinDiscordsLimitsWhenTheTextIsHuge() throws Exception {
        answer(204, "");
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            facts.add(new Fact("Fact " + i, "v".repeat(2000)));
        }
        Envelope huge = Envelope.create(
                "discord",
                "x",
                Content.of("T".repeat(300), "x".repeat(10_000)).withFacts(facts),
                Origin.api("t"),
                Fixtures.NOW);

        provider.send(huge);

        JsonNode embed = sent().path("embeds").path(0);
        int total = embed.path("title").asText().length()
                + embed.path("description").asText().length()
                + embed.path("footer").path("text").asText().length();
        for (JsonNode field : embed.path("fields")) {
            total += field.path("name").asText().length()
                    + field.path("value").asText().length();
            assertThat(field.path("value").asText().length()).isLessThanOrEqualTo(1024);
        }
        assertThat(total).isLessThanOrEqualTo(6000);
        assertThat(embed.path("title").asText()).hasSize(256).endsWith("…");
        assertThat(embed.path("fields").size()).isLessThanOrEqualTo(25);
    }
}
