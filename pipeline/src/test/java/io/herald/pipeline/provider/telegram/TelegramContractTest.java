package io.herald.pipeline.provider.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.telegram.TelegramConfig;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.ProviderContractTest;
import java.time.Duration;
import java.util.List;

/** docs/providers.md's checklist for Telegram ({@link ProviderContractTest}); TelegramProviderTest has the rest. */
class TelegramContractTest extends ProviderContractTest<TelegramProvider> {

    private static final String SECRET = "123456:AAHsecretTelegramToken";
    private static final String PATH = "/bot" + SECRET + "/sendMessage";

    @Override
    protected TelegramProvider provider(String baseUrl, Duration timeout) {
        return new TelegramProvider(
                new TelegramConfig(
                        true, 1, timeout, 1000, Duration.ofSeconds(1), "", baseUrl, Secret.of(SECRET), Duration.ZERO),
                clock);
    }

    @Override
    protected MappingBuilder request() {
        return post(urlEqualTo(PATH));
    }

    @Override
    protected Envelope envelope() {
        return Fixtures.envelope("telegram", "123456789");
    }

    @Override
    protected Envelope nastyEnvelope() {
        return Fixtures.nasty("telegram", "123456789");
    }

    @Override
    protected ResponseDefinitionBuilder delivered() {
        return json(200, "{\"ok\":true,\"result\":{\"message_id\":4711}}");
    }

    @Override
    protected ResponseDefinitionBuilder rateLimited(int seconds) {
        return json(
                429,
                "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after " + seconds
                        + "\",\"parameters\":{\"retry_after\":" + seconds + "}}");
    }

    @Override
    protected List<Answer> statusClasses() {
        return List.of(
                new Answer(
                        400,
                        "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}",
                        Outcome.Rejected.class),
                new Answer(
                        403,
                        "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the "
                                + "user\"}",
                        Outcome.Rejected.class),
                new Answer(
                        401,
                        "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}",
                        Outcome.ProviderDown.class),
                new Answer(
                        404,
                        "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}",
                        Outcome.ProviderDown.class),
                new Answer(502, "bad gateway", Outcome.Retry.class));
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected void assertHostileContentIsHarmless(LoggedRequest sent) {
        assertThat(sent.getBodyAsString()).doesNotContain("<script>").contains("&lt;script&gt;");
    }
}
