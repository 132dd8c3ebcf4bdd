package io.herald.pipeline.provider.mattermost;

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
import io.herald.core.envelope.Link;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.mattermost.MattermostConfig;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.render.Escape;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MattermostProviderTest {

    private static final String PATH = "/hooks/xsecrethookid1234567";

    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer fake;
    private MattermostProvider provider;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        provider = new MattermostProvider(
                new MattermostConfig(
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
        fake.stubFor(
                post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    private JsonNode sent() throws Exception {
        return json.readTree(fake.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void okAnswerIsDeliveredToTheTargetChannel() throws Exception {
        answer(200, "ok");

        assertThat(provider.send(Fixtures.envelope("mattermost", "town-square")))
                .isEqualTo(new Outcome.Delivered("ok"));

        JsonNode body = sent();
        assertThat(body.path("channel").asText()).isEqualTo("town-square");
        assertThat(body.path("text").asText()).startsWith("#### Job 42 ended").contains("| **Partition** | compute |");
    }

    @Test
    void rateLimitedIsRetriedAfterTheResetHeader() {
        fake.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("X-Ratelimit-Limit", "10")
                        .withHeader("X-Ratelimit-Remaining", "0")
                        .withHeader("X-Ratelimit-Reset", "3")
                        .withBody("{\"message\":\"too many requests\"}")));

        Outcome outcome = provider.send(Fixtures.envelope("mattermost", "x"));

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).after()).isEqualTo(Duration.ofSeconds(3));
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

    /** Mattermost's error answer, as its AppError serialises (server/public/model/utils.go). */
    private void appError(int status, String id, String message) {
        answer(
                status,
                "{\"id\":\"" + id + "\",\"message\":\"" + message + "\",\"detailed_error\":\"\","
                        + "\"request_id\":\"8xqz3w6n1bgzfm4s7ktd5gxq1h\",\"status_code\":" + status + "}");
    }

    @Test
    void unknownChannelNamedByTheCallerIsTheMessagesRejectionNotAProviderFailure() {
        appError(404, "web.incoming_webhook.channel.app_error", "Couldn't find the channel.");

        Outcome outcome = provider.send(Fixtures.envelope("mattermost", "no-such-channel"));

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) outcome).reason()).contains("Couldn't find the channel");
    }

    @Test
    void channelTheWebhookMayNotPostToIsRejected() {
        appError(403, "web.incoming_webhook.permissions.app_error", "Inappropriate channel permissions.");
        assertThat(provider.send(Fixtures.envelope("mattermost", "private-room")))
                .isInstanceOf(Outcome.Rejected.class);

        fake.resetAll();
        appError(
                403,
                "web.incoming_webhook.channel_locked.app_error",
                "This webhook is not permitted to post to the requested channel.");
        assertThat(provider.send(Fixtures.envelope("mattermost", "other-channel")))
                .isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void unknownUserForADirectMessageIsRejected() {
        appError(400, "web.incoming_webhook.user.app_error", "Couldn't find the user.");

        assertThat(provider.send(Fixtures.envelope("mattermost", "@nobody"))).isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void deletedOrDisabledWebhookOrItsOwnChannelGoneMeansTheProviderIsDown() {
        appError(400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.");
        assertThat(provider.send(Fixtures.envelope("mattermost", "town-square")))
                .isInstanceOf(Outcome.ProviderDown.class);

        fake.resetAll();
        appError(
                501,
                "web.incoming_webhook.disabled.app_error",
                "Incoming webhooks have been disabled by the system admin.");
        assertThat(provider.send(Fixtures.envelope("mattermost", "town-square")))
                .isInstanceOf(Outcome.ProviderDown.class);

        fake.resetAll();
        appError(404, "app.channel.get.existing.app_error", "Unable to find the existing channel.");
        assertThat(provider.send(Fixtures.envelope("mattermost", ""))).isInstanceOf(Outcome.ProviderDown.class);
    }

    @Test
    void channelWideAndUserMentionsInCallerTextNotifyNobody() throws Exception {
        answer(200, "ok");
        String trap = "@channel @ALL @here .@channel a-@all x:@here @alice";
        Content content = Content.of("Title " + trap, "Text " + trap)
                .withFacts(List.of(new Fact("Fact " + trap, trap)))
                .withHints(List.of("Hint " + trap))
                .withLinks(List.of(new Link("Link " + trap, "https://hpc.example.org/jobs/42")));

        provider.send(Envelope.create("mattermost", "town-square", content, Origin.api("test"), Fixtures.NOW));

        String text = sent().path("text").asText();
        assertThat(MattermostMentions.of(text)).isEmpty();
        // The test's parser does find what it is meant to find.
        assertThat(MattermostMentions.of(Escape.markdown(trap))).contains("@channel", "@all", "@here", "@alice");
        assertThat(MattermostMentions.of("mail alice@example.org")).isEmpty();
        // Still legible: the word joiner is invisible.
        assertThat(text.replace(String.valueOf(Escape.WORD_JOINER), "").replaceAll("\\\\(.)", "$1"))
                .contains(trap);
    }
}
