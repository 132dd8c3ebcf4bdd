package io.herald.pipeline.provider.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.slack.SlackConfig;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.ProviderContractTest;
import java.time.Duration;
import java.util.List;

/** docs/providers.md's checklist for Slack ({@link ProviderContractTest}); SlackProviderTest has the rest. */
class SlackContractTest extends ProviderContractTest<SlackProvider> {

    private static final String SECRET = "secretSlackHookPart123";
    private static final String PATH = "/services/T000/B000/" + SECRET;

    @Override
    protected SlackProvider provider(String baseUrl, Duration timeout) {
        return new SlackProvider(
                new SlackConfig(true, 1, timeout, 1000, Duration.ofSeconds(1), "", Secret.of(baseUrl + PATH)), clock);
    }

    @Override
    protected MappingBuilder request() {
        return post(urlEqualTo(PATH));
    }

    @Override
    protected Envelope envelope() {
        return Fixtures.envelope("slack", "U024BE7LH");
    }

    @Override
    protected Envelope nastyEnvelope() {
        return Fixtures.nasty("slack", "U024BE7LH");
    }

    @Override
    protected ResponseDefinitionBuilder delivered() {
        return aResponse().withStatus(200).withBody("ok");
    }

    @Override
    protected ResponseDefinitionBuilder rateLimited(int seconds) {
        return retryAfter(seconds).withBody("rate_limited");
    }

    @Override
    protected List<Answer> statusClasses() {
        return List.of(
                new Answer(400, "invalid_payload", Outcome.Rejected.class),
                new Answer(404, "channel_not_found", Outcome.Rejected.class),
                new Answer(410, "channel_is_archived", Outcome.Rejected.class),
                new Answer(413, "too large", Outcome.Rejected.class),
                new Answer(401, "invalid_token", Outcome.ProviderDown.class),
                new Answer(403, "invalid_token", Outcome.ProviderDown.class),
                new Answer(404, "no_service", Outcome.ProviderDown.class),
                new Answer(500, "rollup_error", Outcome.Retry.class));
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected void assertHostileContentIsHarmless(LoggedRequest sent) {
        // Slack parses mrkdwn only: there the name must arrive escaped.
        assertThat(sent.getBodyAsString()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
}
