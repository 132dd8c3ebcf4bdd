package io.herald.pipeline.provider.matrix;

import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.matrix.MatrixConfig;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.ProviderContractTest;
import java.time.Duration;
import java.util.List;

/** docs/providers.md's checklist for Matrix ({@link ProviderContractTest}); MatrixProviderTest has the rest. */
class MatrixContractTest extends ProviderContractTest<MatrixProvider> {

    private static final String SECRET = "syt_secretMatrixAccessToken";

    @Override
    protected MatrixProvider provider(String baseUrl, Duration timeout) {
        return new MatrixProvider(
                new MatrixConfig(true, 1, timeout, 1000, Duration.ofSeconds(1), "", baseUrl + "/", Secret.of(SECRET)),
                clock);
    }

    @Override
    protected MappingBuilder request() {
        return put(urlPathMatching("/_matrix/client/v3/rooms/.*/send/m.room.message/.*"));
    }

    @Override
    protected Envelope envelope() {
        return Fixtures.envelope("matrix", "!abcDEF123:example.org");
    }

    @Override
    protected Envelope nastyEnvelope() {
        return Fixtures.nasty("matrix", "!abcDEF123:example.org");
    }

    @Override
    protected ResponseDefinitionBuilder delivered() {
        return json(200, "{\"event_id\":\"$YUwRidLecu:example.org\"}");
    }

    @Override
    protected ResponseDefinitionBuilder rateLimited(int seconds) {
        return json(
                429,
                "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":" + seconds * 1000
                        + "}");
    }

    @Override
    protected List<Answer> statusClasses() {
        return List.of(
                new Answer(400, "{\"errcode\":\"M_BAD_JSON\",\"error\":\"bad\"}", Outcome.Rejected.class),
                new Answer(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"not in room\"}", Outcome.Rejected.class),
                new Answer(404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"no room\"}", Outcome.Rejected.class),
                new Answer(413, "{\"errcode\":\"M_TOO_LARGE\",\"error\":\"too large\"}", Outcome.Rejected.class),
                new Answer(
                        401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"bad token\"}", Outcome.ProviderDown.class),
                new Answer(403, "{\"errcode\":\"M_USER_DEACTIVATED\",\"error\":\"gone\"}", Outcome.ProviderDown.class),
                new Answer(
                        404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"no endpoint\"}", Outcome.ProviderDown.class),
                new Answer(500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"oops\"}", Outcome.Retry.class),
                new Answer(502, "", Outcome.Retry.class));
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected void assertHostileContentIsHarmless(LoggedRequest sent) {
        // formatted_body is HTML: the name arrives escaped there; nobody is mentioned.
        assertThat(sent.getBodyAsString()).contains("&lt;script&gt;").contains("\"m.mentions\":{}");
    }
}
