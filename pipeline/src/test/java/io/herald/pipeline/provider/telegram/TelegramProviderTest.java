package io.herald.pipeline.provider.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Link;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.telegram.TelegramConfig;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.ManualClock;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.RateLimitedProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelegramProviderTest {

    private static final String TOKEN = "123456:AAH-secret-bot-token_xyz";
    private static final String PATH = "/bot" + TOKEN + "/sendMessage";

    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer fake;
    private TelegramProvider provider;
    /** Stands still unless a test moves it: the chat interval and 429 pauses are read off it. */
    private final ManualClock clock = ManualClock.atNow();

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        provider = provider("", Duration.ZERO);
    }

    @AfterEach
    void stop() {
        provider.close();
        fake.stop();
    }

    private TelegramProvider provider(String template, Duration chatInterval) {
        return new TelegramProvider(
                new TelegramConfig(
                        true,
                        1,
                        Fakes.SEND_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        template,
                        Fakes.baseUrl(fake),
                        Secret.of(TOKEN),
                        chatInterval),
                clock);
    }

    private void answer(int status, String body) {
        fake.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    private JsonNode sentBody() throws Exception {
        return json.readTree(fake.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void okAnswerIsDeliveredWithTelegramsMessageId() throws Exception {
        answer(200, "{\"ok\":true,\"result\":{\"message_id\":4711,\"chat\":{\"id\":123}}}");

        Outcome outcome = provider.send(Fixtures.envelope("telegram", "123456789"));

        assertThat(outcome).isEqualTo(new Outcome.Delivered("4711"));
        fake.verify(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath(
                        "$.chat_id", com.github.tomakehurst.wiremock.client.WireMock.equalTo("123456789")))
                .withRequestBody(matchingJsonPath(
                        "$.parse_mode", com.github.tomakehurst.wiremock.client.WireMock.equalTo("HTML"))));
        assertThat(sentBody().path("text").asText())
                .startsWith("<b>Job 42 ended</b>")
                .contains("<b>Partition:</b> compute");
    }

    @Test
    void tooManyRequestsPausesTheWholeBotNotOnlyThatMessage() {
        answer(
                429,
                "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
                        + "30\",\"parameters\":{\"retry_after\":30}}");
        // As the pipeline builds it (Providers.fromConfig): behind the rate limit of its block.
        RateLimitedProvider limited = new RateLimitedProvider(
                provider, 1000, Duration.ofSeconds(1), Duration.ofMillis(2000), Clock.systemUTC());
        limited.send(Fixtures.envelope("telegram", "123"));

        Outcome next = limited.send(Fixtures.envelope("telegram", "456"));

        assertThat(next).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) next).after()).isGreaterThan(Duration.ofSeconds(25));
        assertThat(fake.getAllServeEvents()).hasSize(1);
        assertThat(limited.currentRateLimit()).isLessThan(1000);
    }

    @Test
    void unknownChatIsRejected() {
        answer(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}");

        assertThat(provider.send(Fixtures.envelope("telegram", "999")))
                .isEqualTo(new Outcome.Rejected("Telegram 400: Bad Request: chat not found"));
    }

    @Test
    void revokedTokenMeansTheProviderIsDown() {
        answer(401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");

        assertThat(provider.send(Fixtures.envelope("telegram", "123")))
                .isEqualTo(new Outcome.ProviderDown("Telegram 401: Unauthorized"));
    }

    @Test
    void nastyJobNameIsEscapedForTelegramHtmlAndReadsAsWritten() throws Exception {
        answer(200, "{\"ok\":true,\"result\":{\"message_id\":1}}");

        provider.send(Fixtures.nasty("telegram", "123"));

        String text = sentBody().path("text").asText();
        assertThat(text)
                .doesNotContain("<script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&quot;α=0.5&quot;")
                .contains("$(id) café 🚀");
        String visible = text.replaceAll("<[^>]+>", "")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
        assertThat(visible).contains(Fixtures.NASTY_JOB);
    }

    @Test
    void textOverTheLimitIsCutVisiblyWithTagsClosed() throws Exception {
        answer(200, "{\"ok\":true,\"result\":{\"message_id\":1}}");
        String longText = "<&> 🚀 ".repeat(1500);

        provider.send(Fixtures.withText("telegram", "123", longText));

        String text = sentBody().path("text").asText();
        assertThat(TelegramHtml.visibleLength(text)).isLessThanOrEqualTo(4096);
        assertThat(text).endsWith("… (truncated)");
        assertThat(text).doesNotContainPattern("&[a-z]*$").doesNotContainPattern("&[a-z]*\n…");
    }

    @Test
    void operatorTemplateReplacesTheTextAndEscapesEveryValue() throws Exception {
        Path template = dir.resolve("telegram.peb");
        Files.writeString(template, "<b>{{ job.name }}</b> on {{ job.cluster }}: {{ job.state }}");
        provider.close();
        provider = provider(template.toString(), Duration.ZERO);
        answer(200, "{\"ok\":true,\"result\":{\"message_id\":1}}");

        provider.send(Fixtures.nasty("telegram", "123"));

        assertThat(sentBody().path("text").asText())
                .isEqualTo("<b>run &quot;α=0.5&quot; &lt;script&gt;alert(1)&lt;/script&gt; $(id) café "
                        + "🚀</b> on hpc: COMPLETED");
    }

    @Test
    void secondMessageToTheSameChatWaitsForTheChatInterval() {
        // An interval far past what a send may wait (half the timeout): the chat's turn is reported as the
        // retry's delay, read off the test's clock, instead of slept through.
        provider.close();
        provider = provider("", Duration.ofMinutes(5));
        answer(200, "{\"ok\":true,\"result\":{\"message_id\":1}}");

        assertThat(provider.send(Fixtures.envelope("telegram", "123"))).isInstanceOf(Outcome.Delivered.class);
        assertThat(provider.send(Fixtures.envelope("telegram", "123")))
                .as("the same chat within its interval")
                .isInstanceOfSatisfying(
                        Outcome.Retry.class, r -> assertThat(r.after()).isEqualTo(Duration.ofMinutes(5)));
        assertThat(provider.send(Fixtures.envelope("telegram", "456")))
                .as("another chat")
                .isInstanceOf(Outcome.Delivered.class);
        clock.advance(Duration.ofMinutes(5));
        assertThat(provider.send(Fixtures.envelope("telegram", "123")))
                .as("the same chat once its interval passed")
                .isInstanceOf(Outcome.Delivered.class);
        assertThat(fake.getAllServeEvents()).hasSize(3);
    }

    @Test
    void callerTextCannotMentionGroupMembers() throws Exception {
        answer(200, "{\"ok\":true,\"result\":{\"message_id\":7}}");

        provider.send(Fixtures.withText("telegram", "-100123", "ping @alice and @admins, mail bob@example.org"));

        String text = sentBody().path("text").asText();
        assertThat(text).doesNotContain("@alice").doesNotContain("@admins").contains("bob@example.org");
    }

    @Test
    void aLinksAddressKeepsItsAtSign() throws Exception {
        answer(200, "{\"ok\":true,\"result\":{\"message_id\":7}}");
        Envelope envelope = Envelope.create(
                "telegram",
                "-100123",
                Content.of("t", "x").withLinks(List.of(new Link("@alice's profile", "https://social.example/@alice"))),
                Origin.api("test"),
                Fixtures.NOW);

        provider.send(envelope);

        String text = sentBody().path("text").asText();
        assertThat(text).contains("<a href=\"https://social.example/@alice\">").doesNotContain(">@alice");
    }
}
