package io.herald.pipeline.provider.msteams;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.msteams.TeamsConfig;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.ProviderContractTest;
import java.time.Duration;
import java.util.List;

/** docs/providers.md's checklist for Teams ({@link ProviderContractTest}); TeamsProviderTest has the rest. */
class TeamsContractTest extends ProviderContractTest<TeamsProvider> {

    private static final String SECRET = "sigSecretTeams0123456789abcdef";
    private static final String PATH = "/workflows/abc123/triggers/manual/paths/invoke";

    @Override
    protected TeamsProvider provider(String baseUrl, Duration timeout) {
        return new TeamsProvider(
                new TeamsConfig(
                        true,
                        1,
                        timeout,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Secret.of(baseUrl + PATH + "?api-version=1&sig=" + SECRET)),
                clock);
    }

    @Override
    protected MappingBuilder request() {
        return post(urlPathEqualTo(PATH));
    }

    @Override
    protected Envelope envelope() {
        return Fixtures.envelope("msteams", "bob@example.org");
    }

    @Override
    protected Envelope nastyEnvelope() {
        return Fixtures.nasty("msteams", "bob@example.org");
    }

    @Override
    protected ResponseDefinitionBuilder delivered() {
        return aResponse().withStatus(202);
    }

    @Override
    protected ResponseDefinitionBuilder rateLimited(int seconds) {
        return retryAfter(seconds);
    }

    @Override
    protected List<Answer> statusClasses() {
        return List.of(
                new Answer(400, "{\"error\":{\"code\":\"InvalidRequestContent\"}}", Outcome.Rejected.class),
                new Answer(413, "too large", Outcome.Rejected.class),
                new Answer(401, "{\"error\":{\"code\":\"Unauthorized\"}}", Outcome.ProviderDown.class),
                new Answer(
                        401,
                        "{\"error\":{\"code\":\"DirectApiAuthorizationRequired\",\"message\":\"The request "
                                + "must be authenticated.\"}}",
                        Outcome.ProviderDown.class),
                new Answer(403, "{\"error\":{\"code\":\"Forbidden\"}}", Outcome.ProviderDown.class),
                new Answer(404, "{\"error\":{\"code\":\"WorkflowNotFound\"}}", Outcome.ProviderDown.class),
                new Answer(500, "{\"error\":{\"code\":\"InternalServerError\"}}", Outcome.Retry.class));
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected void assertHostileContentIsHarmless(LoggedRequest sent) {
        // TextBlocks render a Markdown subset: the name arrives escaped, never as a link or markup.
        assertThat(sent.getBodyAsString()).contains("\\\\<script\\\\>");
    }
}
