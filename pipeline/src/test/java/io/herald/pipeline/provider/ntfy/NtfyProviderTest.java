package io.herald.pipeline.provider.ntfy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.ntfy.NtfyConfig;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.ProviderContractTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ntfy against a WireMock fake that answers as an ntfy server does: the published message as JSON, errors as
 * {@code {"code":40101,"http":401,"error":"unauthorized"}}.
 */
class NtfyProviderTest extends ProviderContractTest<NtfyProvider> {

    private static final String TOKEN = "tk_secretAccessToken0123456789";
    private static final String TOPIC = "hpc-alerts";

    private static NtfyConfig config(String baseUrl, Duration timeout, Secret token, String user, Secret password) {
        return new NtfyConfig(
                true,
                1,
                timeout,
                1000,
                Duration.ofSeconds(1),
                "",
                baseUrl,
                token,
                user,
                password,
                4,
                List.of("warning", "computer"));
    }

    @Override
    protected NtfyProvider provider(String baseUrl, Duration timeout) {
        return new NtfyProvider(config(baseUrl, timeout, Secret.of(TOKEN), "", Secret.none()), clock);
    }

    @Override
    protected MappingBuilder request() {
        return post(urlEqualTo("/" + TOPIC));
    }

    @Override
    protected Envelope envelope() {
        return Fixtures.envelope("ntfy", TOPIC);
    }

    @Override
    protected Envelope nastyEnvelope() {
        return Fixtures.nasty("ntfy", TOPIC);
    }

    @Override
    protected ResponseDefinitionBuilder delivered() {
        return okJson("{\"id\":\"sPs71M8A2T\",\"time\":1700000000,\"expires\":1700043200,\"event\":\"message\","
                + "\"topic\":\"" + TOPIC + "\",\"message\":\"x\"}");
    }

    @Override
    protected ResponseDefinitionBuilder rateLimited(int seconds) {
        return retryAfter(seconds).withBody(error(42901, 429, "limit reached: too many requests"));
    }

    @Override
    protected List<Answer> statusClasses() {
        return List.of(
                new Answer(400, error(40009, 400, "invalid request: topic invalid"), Outcome.Rejected.class),
                new Answer(403, error(40301, 403, "forbidden"), Outcome.Rejected.class),
                new Answer(413, error(41301, 413, "message too large"), Outcome.Rejected.class),
                // A token is configured here, so 401 means it is wrong for every topic.
                new Answer(401, error(40101, 401, "unauthorized"), Outcome.ProviderDown.class),
                new Answer(404, "404 page not found", Outcome.ProviderDown.class),
                new Answer(500, error(50001, 500, "internal server error"), Outcome.Retry.class),
                new Answer(507, error(50701, 507, "insufficient storage"), Outcome.Retry.class));
    }

    @Override
    protected String secret() {
        return TOKEN;
    }

    @Override
    protected void assertHostileContentIsHarmless(LoggedRequest sent) {
        String body = sent.getBodyAsString();
        assertThat(body)
                .doesNotContain("<script>")
                .contains("\\<script\\>alert\\(1\\)\\</script\\>")
                .contains("café 🚀");
        String title = sent.getHeader("Title");
        assertThat(title).startsWith("=?UTF-8?B?").endsWith("?=");
        String decoded =
                new String(Base64.getDecoder().decode(title.substring(10, title.length() - 2)), StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("Job 42 (" + Fixtures.NASTY_JOB + ") ended");
    }

    private static String error(int code, int http, String error) {
        return "{\"code\":" + code + ",\"http\":" + http + ",\"error\":\"" + error
                + "\",\"link\":\"https://ntfy.sh/docs/\"}";
    }

    @Test
    void publishesTheMessageAsMarkdownWithTitlePriorityTagsClickAndTheToken() {
        fake.stubFor(request().willReturn(delivered()));

        assertThat(provider.send(envelope())).isEqualTo(new Outcome.Delivered("sPs71M8A2T"));

        LoggedRequest sent = sent();
        assertThat(sent.getHeader("Title")).isEqualTo("Job 42 ended");
        assertThat(sent.getHeader("Priority")).isEqualTo("4");
        assertThat(sent.getHeader("Tags")).isEqualTo("warning,computer");
        assertThat(sent.getHeader("Click")).isEqualTo("https://hpc.example.org/jobs/42");
        assertThat(sent.getHeader("Markdown")).isEqualTo("yes");
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.getHeader("Content-Type")).startsWith("text/markdown");
        assertThat(sent.getBodyAsString())
                .startsWith("The job finished.\nAll good.")
                .contains("**Partition:** compute")
                .contains("💡 Memory was over-requested by 80 %")
                .contains("[Job output](https://hpc.example.org/jobs/42)");
    }

    @Test
    void basicAuthenticationIsSentWhenAUserIsConfiguredAndItsPasswordNeverShows() throws Exception {
        provider.close();
        provider = new NtfyProvider(
                config(Fakes.baseUrl(fake), TIMEOUT, Secret.none(), "phil", Secret.of("s3cret-ntfy-pw")),
                Clock.systemUTC());
        String basic = Base64.getEncoder().encodeToString("phil:s3cret-ntfy-pw".getBytes(StandardCharsets.UTF_8));
        fake.stubFor(request()
                .willReturn(aResponse().withStatus(401).withBody(error(40101, 401, "unauthorized Basic " + basic))));

        Outcome outcome = provider.send(envelope());

        assertThat(sent().getHeader("Authorization")).isEqualTo("Basic " + basic);
        assertThat(outcome).isInstanceOf(Outcome.ProviderDown.class);
        assertThat(outcome.toString()).doesNotContain(basic).doesNotContain("s3cret-ntfy-pw");
    }

    @Test
    void withoutCredentialsA401IsThisTopicAskingForALoginAndRejectsOnlyTheMessage() {
        provider.close();
        provider = new NtfyProvider(
                config(Fakes.baseUrl(fake), TIMEOUT, Secret.none(), "", Secret.none()), Clock.systemUTC());
        fake.stubFor(request().willReturn(aResponse().withStatus(401).withBody(error(40101, 401, "unauthorized"))));

        assertThat(provider.send(envelope())).isEqualTo(new Outcome.Rejected("ntfy 401: unauthorized"));
        assertThat(sent().getHeader("Authorization")).isNull();
    }

    @Test
    void aTargetThatIsNotATopicIsRejectedUntried() {
        Outcome outcome = provider.send(Fixtures.envelope("ntfy", "../admin"));

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(fake.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMessageOverNtfysLimitIsCutBelowItAndMarked() {
        fake.stubFor(request().willReturn(delivered()));
        String text = "é".repeat(5000);

        provider.send(Envelope.create("ntfy", TOPIC, Content.of("Long", text), Origin.api("test"), Fixtures.NOW));

        byte[] body = sent().getBody();
        assertThat(body.length).isLessThanOrEqualTo(NtfyProvider.MAX_MESSAGE_BYTES);
        assertThat(new String(body, StandardCharsets.UTF_8)).endsWith(NtfyProvider.TRUNCATED);
    }

    @Test
    void aTitleWithALineBreakStaysOneHeaderLine() {
        assertThat(NtfyProvider.headerText("Job 42\r\nX-Injected: yes")).isEqualTo("Job 42 X-Injected: yes");
    }
}
