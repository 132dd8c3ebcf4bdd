package io.herald.pipeline.provider.ses;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.ses.SesConfig;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.ProviderContractTest;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * docs/providers.md's checklist for SES v2 ({@link ProviderContractTest}) through the real AWS SDK against a WireMock
 * fake of its REST-JSON API; SesProviderTest has the rest. SES names its errors in {@code __type} (or the
 * x-amzn-ErrorType header), not by status alone, so each row's body carries the error's name.
 */
class SesContractTest extends ProviderContractTest<SesProvider> {

    private static final String SECRET = "sesSecretAccessKeyExample0123456789";
    private static final String PATH = "/v2/email/outbound-emails";
    /** Herald's wait after a throttling answer: SES states no delay, so the provider's rate period. */
    private static final Duration RATE_PERIOD = Duration.ofSeconds(1);

    @Override
    protected SesProvider provider(String baseUrl, Duration timeout) {
        return new SesProvider(
                new SesConfig(
                        true,
                        1,
                        timeout,
                        1000,
                        RATE_PERIOD,
                        "",
                        "eu-west-1",
                        baseUrl,
                        "herald@example.org",
                        "",
                        SesConfig.Feedback.defaults()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET)),
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
        return json(200, "{\"MessageId\":\"0102018c-ses-message-id\"}");
    }

    /** SES's 429 says nothing about when to come back: the checklist's delay is Herald's rate period. */
    @Override
    protected ResponseDefinitionBuilder rateLimited(int seconds) {
        return error(429, "TooManyRequestsException", "Too many requests");
    }

    @Override
    protected Duration rateLimitDelay(int asked) {
        return RATE_PERIOD;
    }

    @Override
    protected void assertTimedOutReason(String reason) {
        assertThat(reason).startsWith("SES: timed out");
    }

    @Override
    protected List<Answer> statusClasses() {
        return List.of(
                new Answer(400, type("MessageRejected", "Email address is not verified."), Outcome.Rejected.class),
                new Answer(
                        400,
                        type("MailFromDomainNotVerifiedException", "MAIL FROM domain is not verified"),
                        Outcome.Rejected.class),
                new Answer(400, type("BadRequestException", "Invalid request"), Outcome.Rejected.class),
                new Answer(
                        400,
                        type("SendingPausedException", "Sending is paused for this account"),
                        Outcome.ProviderDown.class),
                new Answer(
                        400, type("AccountSuspendedException", "The account is suspended"), Outcome.ProviderDown.class),
                new Answer(
                        403,
                        type(
                                "UnrecognizedClientException",
                                "The security token included in the request " + "is invalid."),
                        Outcome.ProviderDown.class),
                new Answer(
                        404, type("NotFoundException", "Configuration set does not exist"), Outcome.ProviderDown.class),
                new Answer(500, type("InternalFailure", "Internal error"), Outcome.Retry.class));
    }

    @Override
    protected String secret() {
        return SECRET;
    }

    @Override
    protected void assertHostileContentIsHarmless(LoggedRequest sent) {
        JsonNode simple = tree(sent).path("Content").path("Simple");
        // The subject and the text part are plain text: kept as they are. The HTML part escapes the name.
        assertThat(simple.path("Subject").path("Data").asText()).isEqualTo("Job 42 (" + Fixtures.NASTY_JOB + ") ended");
        assertThat(simple.path("Body").path("Text").path("Data").asText()).contains(Fixtures.NASTY_JOB);
        assertThat(simple.path("Body").path("Html").path("Data").asText())
                .doesNotContain("<script>")
                .contains("run &quot;α=0.5&quot; &lt;script&gt;alert(1)&lt;/script&gt; $(id) café 🚀");
    }

    private static String type(String name, String message) {
        return "{\"__type\":\"" + name + "\",\"message\":\"" + message + "\"}";
    }

    /** SES v2 speaks REST-JSON: the error's name travels in x-amzn-ErrorType. */
    private static ResponseDefinitionBuilder error(int status, String name, String message) {
        return json(status, "{\"message\":\"" + message + "\"}")
                .withHeader("x-amzn-ErrorType", name)
                .withHeader("x-amzn-RequestId", "req-1");
    }

    private static JsonNode tree(LoggedRequest sent) {
        try {
            return new ObjectMapper().readTree(sent.getBodyAsString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
