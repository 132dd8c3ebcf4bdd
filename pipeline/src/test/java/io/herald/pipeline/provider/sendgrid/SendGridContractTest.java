package io.herald.pipeline.provider.sendgrid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.ProviderContractTest;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/providers.md's checklist for SendGrid ({@link ProviderContractTest}); SendGridProviderTest has the rest. */
class SendGridContractTest extends ProviderContractTest<SendGridProvider> {

    private static final String SECRET = "SG.secretApiKeyValue.abcdefghijklmnop";
    private static final String PATH = "/v3/mail/send";

    @Override
    protected SendGridProvider provider(String baseUrl, Duration timeout) {
        return new SendGridProvider(
                new SendGridConfig(
                        true,
                        1,
                        timeout,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        baseUrl,
                        Secret.of(SECRET),
                        "herald@example.org",
                        SendGridConfig.EventWebhook.defaults()),
                clock);
    }

    @Override
    protected MappingBuilder request() {
        return post(urlEqualTo(PATH));
    }

    @Override
    protected Envelope envelope() {
        return Fixtures.envelope("email", "to@example.org");
    }

    @Override
    protected Envelope nastyEnvelope() {
        return Fixtures.nasty("email", "to@example.org");
    }

    @Override
    protected ResponseDefinitionBuilder delivered() {
        return aResponse().withStatus(202).withHeader("X-Message-Id", "sg-msg-1");
    }

    /** SendGrid says when its window resets, as an epoch second: read against the test's clock, it is exact. */
    @Override
    protected ResponseDefinitionBuilder rateLimited(int seconds) {
        return json(429, "{\"errors\":[{\"field\":null,\"message\":\"too many requests\"}]}")
                .withHeader("X-RateLimit-Limit", "600")
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", Long.toString(clock.instant().getEpochSecond() + seconds));
    }

    @Override
    protected void assertTimedOutReason(String reason) {
        assertThat(reason).isEqualTo("SendGrid: timed out");
    }

    @Override
    protected List<Answer> statusClasses() {
        return List.of(
                new Answer(
                        400,
                        "{\"errors\":[{\"message\":\"Does not contain a valid address.\","
                                + "\"field\":\"personalizations.0.to.0.email\"}]}",
                        Outcome.Rejected.class),
                new Answer(413, "{\"errors\":[{\"message\":\"Payload too large\"}]}", Outcome.Rejected.class),
                new Answer(
                        401,
                        "{\"errors\":[{\"field\":null,\"message\":\"The provided authorization grant is "
                                + "invalid, expired, or revoked\"}]}",
                        Outcome.ProviderDown.class),
                new Answer(
                        403,
                        "{\"errors\":[{\"field\":null,\"message\":\"access forbidden\"}]}",
                        Outcome.ProviderDown.class),
                new Answer(500, "{\"errors\":[{\"message\":\"internal error\"}]}", Outcome.Retry.class),
                new Answer(503, "", Outcome.Retry.class));
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected void assertHostileContentIsHarmless(LoggedRequest sent) {
        JsonNode body = tree(sent);
        assertThat(body.path("subject").asText()).isEqualTo("Job 42 (" + Fixtures.NASTY_JOB + ") ended");
        assertThat(body.path("content").path(1).path("value").asText())
                .doesNotContain("<script>")
                .contains("run &quot;α=0.5&quot; &lt;script&gt;alert(1)&lt;/script&gt; $(id) café 🚀");
    }

    /**
     * The Event Webhook's only way back to Herald's message: SendGrid copies each personalization's custom args into
     * every event about it, and POST /v1/feedback/sendgrid reads the id from there.
     */
    @Test
    void heraldsMessageIdTravelsInEveryPersonalizationsCustomArgsForTheEventWebhook() {
        fake.stubFor(request().willReturn(delivered()));
        Envelope envelope = envelope();

        assertThat(provider.send(envelope)).isInstanceOf(Outcome.Delivered.class);

        JsonNode personalizations = tree(sent()).path("personalizations");
        assertThat(personalizations.size()).isPositive();
        personalizations.forEach(p -> assertThat(p.path("custom_args")
                        .path(SendGridConfig.MESSAGE_ID_ARG)
                        .asText())
                .isEqualTo(envelope.id()));
    }

    private static JsonNode tree(LoggedRequest sent) {
        try {
            return new ObjectMapper().readTree(sent.getBodyAsString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
