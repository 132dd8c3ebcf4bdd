package io.herald.pipeline.provider.mattermost;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.mattermost.MattermostConfig;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.ProviderContractTest;
import java.time.Duration;
import java.util.List;

/** docs/providers.md's checklist for Mattermost ({@link ProviderContractTest}); MattermostProviderTest has the rest. */
class MattermostContractTest extends ProviderContractTest<MattermostProvider> {

    private static final String SECRET = "xsecrethookid1234567";
    private static final String PATH = "/hooks/" + SECRET;

    @Override
    protected MattermostProvider provider(String baseUrl, Duration timeout) {
        return new MattermostProvider(
                new MattermostConfig(true, 1, timeout, 1000, Duration.ofSeconds(1), "", Secret.of(baseUrl + PATH)),
                clock);
    }

    @Override
    protected MappingBuilder request() {
        return post(urlEqualTo(PATH));
    }

    @Override
    protected Envelope envelope() {
        return Fixtures.envelope("mattermost", "town-square");
    }

    @Override
    protected Envelope nastyEnvelope() {
        return Fixtures.nasty("mattermost", "town-square");
    }

    @Override
    protected ResponseDefinitionBuilder delivered() {
        return aResponse().withStatus(200).withBody("ok");
    }

    @Override
    protected ResponseDefinitionBuilder rateLimited(int seconds) {
        return retryAfter(seconds).withBody("{\"id\":\"api.context.rate_limit\"}");
    }

    @Override
    protected List<Answer> statusClasses() {
        return List.of(
                new Answer(
                        404,
                        "{\"id\":\"web.incoming_webhook.channel.app_error\",\"status_code\":404}",
                        Outcome.Rejected.class),
                new Answer(
                        400,
                        "{\"id\":\"web.incoming_webhook.user.app_error\",\"status_code\":400}",
                        Outcome.Rejected.class),
                new Answer(
                        400,
                        "{\"id\":\"web.incoming_webhook.parse.app_error\",\"message\":\"Unable to parse "
                                + "incoming data\"}",
                        Outcome.Rejected.class),
                new Answer(413, "too large", Outcome.Rejected.class),
                new Answer(
                        400,
                        "{\"id\":\"web.incoming_webhook.invalid.app_error\",\"status_code\":400}",
                        Outcome.ProviderDown.class),
                new Answer(
                        501,
                        "{\"id\":\"web.incoming_webhook.disabled.app_error\",\"status_code\":501}",
                        Outcome.ProviderDown.class),
                new Answer(
                        404,
                        "{\"id\":\"app.channel.get.existing.app_error\",\"status_code\":404}",
                        Outcome.ProviderDown.class),
                new Answer(404, "{\"message\":\"Unable to find the webhook\"}", Outcome.ProviderDown.class),
                new Answer(500, "{\"id\":\"app.internal\",\"status_code\":500}", Outcome.Retry.class),
                new Answer(503, "", Outcome.Retry.class));
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected void assertHostileContentIsHarmless(LoggedRequest sent) {
        assertThat(sent.getBodyAsString()).doesNotContain("<script>").contains("\\\\<script\\\\>");
    }
}
