package io.herald.pipeline.provider.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.discord.DiscordConfig;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.ProviderContractTest;
import java.time.Duration;
import java.util.List;

/** docs/providers.md's checklist for Discord ({@link ProviderContractTest}); DiscordProviderTest has the rest. */
class DiscordContractTest extends ProviderContractTest<DiscordProvider> {

    private static final String SECRET = "discordSecretToken_abc";
    private static final String PATH = "/api/webhooks/1234567890/" + SECRET;

    @Override
    protected DiscordProvider provider(String baseUrl, Duration timeout) {
        return new DiscordProvider(
                new DiscordConfig(true, 1, timeout, 1000, Duration.ofSeconds(1), "", Secret.of(baseUrl + PATH)), clock);
    }

    @Override
    protected MappingBuilder request() {
        return post(urlEqualTo(PATH + "?wait=true"));
    }

    @Override
    protected Envelope envelope() {
        return Fixtures.envelope("discord", "80351110224678912");
    }

    @Override
    protected Envelope nastyEnvelope() {
        return Fixtures.nasty("discord", "80351110224678912");
    }

    @Override
    protected ResponseDefinitionBuilder delivered() {
        return json(200, "{\"id\":\"1180000000000000001\"}");
    }

    @Override
    protected ResponseDefinitionBuilder rateLimited(int seconds) {
        return json(
                429,
                "{\"message\":\"You are being rate limited.\",\"retry_after\":" + seconds + ".0,\"global\":false}");
    }

    @Override
    protected List<Answer> statusClasses() {
        return List.of(
                new Answer(
                        400, "{\"message\":\"Cannot send an empty message\",\"code\":50006}", Outcome.Rejected.class),
                new Answer(413, "{\"message\":\"Request entity too large\"}", Outcome.Rejected.class),
                new Answer(401, "{\"message\":\"401: Unauthorized\",\"code\":0}", Outcome.ProviderDown.class),
                new Answer(401, "{\"message\":\"Invalid Webhook Token\",\"code\":50027}", Outcome.ProviderDown.class),
                new Answer(403, "{\"message\":\"Missing Access\",\"code\":50001}", Outcome.ProviderDown.class),
                new Answer(404, "{\"message\":\"Unknown Webhook\",\"code\":10015}", Outcome.ProviderDown.class),
                new Answer(502, "bad gateway", Outcome.Retry.class));
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected void assertHostileContentIsHarmless(LoggedRequest sent) {
        // No caller text may mention anyone: only the target is allowed.
        assertThat(sent.getBodyAsString()).contains("\"parse\":[]").contains("\\\\<script\\\\>");
    }
}
