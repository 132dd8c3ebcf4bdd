package io.herald.pipeline.provider.ses;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.ses.SesConfig;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class SesProviderTest {

    private static final String PATH = "/v2/email/outbound-emails";

    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer fake;
    private SesProvider provider;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        provider = new SesProvider(
                new SesConfig(
                        true,
                        1,
                        Fakes.SEND_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        "eu-west-1",
                        Fakes.baseUrl(fake),
                        "herald@example.org",
                        "herald-events",
                        SesConfig.Feedback.defaults()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secretKeyExample")),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        provider.close();
        fake.stop();
    }

    /** SES v2 speaks REST-JSON: the error's name travels in x-amzn-ErrorType. */
    private void error(int status, String type, String message) {
        fake.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-amzn-ErrorType", type)
                        .withHeader("x-amzn-RequestId", "req-1")
                        .withBody("{\"message\":\"" + message + "\"}")));
    }

    private void accepted() {
        fake.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"MessageId\":\"0102018c-ses-message-id\"}")));
    }

    private JsonNode sent() throws Exception {
        return json.readTree(fake.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void acceptedEmailIsDeliveredWithSesMessageIdTextHtmlAndTheIdTag() throws Exception {
        accepted();
        Envelope envelope = Fixtures.envelope("email", "to@example.org");

        assertThat(provider.send(envelope)).isEqualTo(new Outcome.Delivered("0102018c-ses-message-id"));

        JsonNode body = sent();
        assertThat(body.path("FromEmailAddress").asText()).isEqualTo("herald@example.org");
        assertThat(body.path("Destination").path("ToAddresses").path(0).asText())
                .isEqualTo("to@example.org");
        assertThat(body.path("ConfigurationSetName").asText()).isEqualTo("herald-events");
        JsonNode simple = body.path("Content").path("Simple");
        assertThat(simple.path("Subject").path("Data").asText()).isEqualTo("Job 42 ended");
        assertThat(simple.path("Body").path("Text").path("Data").asText()).contains("Partition:");
        assertThat(simple.path("Body").path("Html").path("Data").asText())
                .contains("<th style=\"text-align:left;padding:2px 12px 2px 0\">Partition</th>");
        assertThat(body.path("EmailTags").toString())
                .contains("\"Name\":\"herald-id\",\"Value\":\"" + envelope.id() + "\"");
        // Signed as the SDK signed it: SigV4 for the ses service in the configured region, over the body.
        var request = fake.getAllServeEvents().get(0).getRequest();
        assertThat(request.getHeader("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/eu-west-1/ses/aws4_request")
                .contains("SignedHeaders=")
                .contains("Signature=");
        assertThat(request.getHeader("X-Amz-Date")).isNotBlank();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void blankEndpointMeansSesInTheRegion() {
        assertThat(SesApi.defaultEndpoint("eu-west-1")).isEqualTo("https://email.eu-west-1.amazonaws.com");
        assertThat(SesApi.defaultEndpoint("cn-north-1")).isEqualTo("https://email.cn-north-1.amazonaws.com.cn");
    }

    @Test
    void errorNameIsReadLikeTheSdkReadsIt() {
        var empty = json.createObjectNode();
        assertThat(SesApi.errorType("MessageRejected:http://internal.amazon.com/coral/com.amazon.sesv2/", empty))
                .isEqualTo("MessageRejected");
        assertThat(SesApi.errorType(null, json.createObjectNode().put("__type", "com.amazon#NotFoundException")))
                .isEqualTo("NotFoundException");
    }

    @Test
    void throttlingIsRetriedAndSlowsTheProviderDown() {
        error(429, "TooManyRequestsException", "Too many requests");

        Outcome outcome = provider.send(Fixtures.envelope("email", "to@example.org"));

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).reason()).contains("TooManyRequestsException");
        assertThat(fake.getAllServeEvents()).hasSize(1);
    }

    @Test
    void messageRejectedIsRejected() {
        error(400, "MessageRejected", "Email address is not verified.");

        assertThat(provider.send(Fixtures.envelope("email", "to@example.org")))
                .isEqualTo(new Outcome.Rejected("SES: MessageRejected (400): Email address is not verified."));
    }

    @Test
    void serverErrorIsRetriedWithoutTheSdkRetryingOnItsOwn() {
        error(500, "InternalFailure", "Internal error");

        assertThat(provider.send(Fixtures.envelope("email", "to@example.org"))).isInstanceOf(Outcome.Retry.class);
        assertThat(fake.getAllServeEvents()).hasSize(1);
    }

    @Test
    void targetThatIsNoAddressIsRejectedWithoutCallingSes() {
        assertThat(provider.send(Fixtures.envelope("email", "not an address"))).isInstanceOf(Outcome.Rejected.class);
        assertThat(fake.getAllServeEvents()).isEmpty();
    }
}
