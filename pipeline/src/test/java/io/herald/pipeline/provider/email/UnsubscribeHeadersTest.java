package io.herald.pipeline.provider.email;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.DummySSLSocketFactory;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.provider.ses.SesConfig;
import io.herald.core.provider.smtp.SmtpConfig;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.herald.core.unsubscribe.UnsubscribeTokens;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.sendgrid.SendGridProvider;
import io.herald.pipeline.provider.ses.SesProvider;
import io.herald.pipeline.provider.smtp.SmtpProvider;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Every email provider carries the RFC 8058 headers {@link UnsubscribeLinks} makes, in the request its real API takes:
 * SES v2 SendEmail's Simple {@code Headers} and SendGrid's {@code headers} (WireMock fakes of both APIs), MIME headers
 * over SMTP (GreenMail); and transactional mail carries none.
 */
class UnsubscribeHeadersTest {

    private static final Secret SECRET = Secret.of("unsubscribe-test-key-".repeat(3));
    private static final String BASE = "https://herald.example.org";

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(
                    new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withPerMethodLifecycle(true);

    private final ObjectMapper json = new ObjectMapper();
    private final UnsubscribeTokens tokens = new UnsubscribeTokens(SECRET);
    private final UnsubscribeLinks links = new UnsubscribeLinks(BASE, tokens);
    private WireMockServer fake;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        fake.stubFor(post(urlEqualTo("/v2/email/outbound-emails"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"MessageId\":\"ses-1\"}")));
        fake.stubFor(post(urlEqualTo("/v3/mail/send"))
                .willReturn(aResponse().withStatus(202).withHeader("X-Message-Id", "sg-1")));
    }

    @AfterEach
    void stop() {
        fake.stop();
    }

    private static Envelope newsletter() {
        return Fixtures.envelope("email", "Reader@Example.org").withCategory("newsletter");
    }

    private static Envelope transactional() {
        return Fixtures.envelope("email", "reader@example.org").withCategory(Envelope.TRANSACTIONAL);
    }

    /** The link's token names the receiver (normalized) and the email's category. */
    private void assertLinkFor(String listUnsubscribe, String category) {
        assertThat(listUnsubscribe).startsWith("<" + BASE + "/u/").endsWith(">");
        String token = listUnsubscribe.substring((BASE + "/u/").length() + 1, listUnsubscribe.length() - 1);
        assertThat(tokens.check(token)).contains(new UnsubscribeTokens.Unsubscription("reader@example.org", category));
    }

    private SesProvider ses() {
        return new SesProvider(
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
                        "",
                        SesConfig.Feedback.defaults()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secretKeyExample")),
                Clock.systemUTC(),
                4,
                links);
    }

    private SendGridProvider sendGrid() {
        return new SendGridProvider(
                new SendGridConfig(
                        true,
                        1,
                        Fakes.SEND_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Fakes.baseUrl(fake),
                        Secret.of("SG.unsubscribeTestKey"),
                        "herald@example.org",
                        SendGridConfig.EventWebhook.defaults()),
                Clock.systemUTC(),
                4,
                links);
    }

    private JsonNode request(int index) throws Exception {
        // WireMock lists the newest request first.
        var events = fake.getAllServeEvents();
        return json.readTree(events.get(events.size() - 1 - index).getRequest().getBodyAsString());
    }

    @Test
    void sesSendsBothHeadersInTheSimpleMessageAndNoneForTransactionalMail() throws Exception {
        try (SesProvider provider = ses()) {
            assertThat(provider.send(newsletter())).isInstanceOf(Outcome.Delivered.class);
            assertThat(provider.send(transactional())).isInstanceOf(Outcome.Delivered.class);
        }

        JsonNode headers = request(0).path("Content").path("Simple").path("Headers");
        Map<String, String> byName = new HashMap<>();
        headers.forEach(h -> byName.put(h.path("Name").asText(), h.path("Value").asText()));
        assertThat(byName).hasSize(2).containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        assertLinkFor(byName.get("List-Unsubscribe"), "newsletter");
        assertThat(request(1).path("Content").path("Simple").has("Headers")).isFalse();
    }

    @Test
    void sendGridSendsBothHeadersAndNoneForTransactionalMail() throws Exception {
        try (SendGridProvider provider = sendGrid()) {
            assertThat(provider.send(newsletter())).isInstanceOf(Outcome.Delivered.class);
            assertThat(provider.send(transactional())).isInstanceOf(Outcome.Delivered.class);
        }

        JsonNode headers = request(0).path("headers");
        assertThat(headers.path("List-Unsubscribe-Post").asText()).isEqualTo("List-Unsubscribe=One-Click");
        assertLinkFor(headers.path("List-Unsubscribe").asText(), "newsletter");
        assertThat(request(1).path("headers").has("List-Unsubscribe")).isFalse();
        assertThat(request(1).path("headers").has("List-Unsubscribe-Post")).isFalse();
    }

    @Test
    void smtpSendsBothMimeHeadersAndNoneForTransactionalMail() throws Exception {
        SmtpProvider provider = new SmtpProvider(
                new SmtpConfig(
                        true,
                        1,
                        Fakes.SEND_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        "127.0.0.1",
                        greenMail.getSmtp().getPort(),
                        "none",
                        "",
                        Secret.none(),
                        "herald@example.org"),
                new DummySSLSocketFactory(),
                Clock.systemUTC(),
                links);

        assertThat(provider.send(newsletter().withCategory(null))).isInstanceOf(Outcome.Delivered.class);
        assertThat(provider.send(transactional())).isInstanceOf(Outcome.Delivered.class);

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage bulk = received[0].getHeader("List-Unsubscribe") != null ? received[0] : received[1];
        MimeMessage receipt = bulk == received[0] ? received[1] : received[0];
        assertThat(bulk.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        assertLinkFor(bulk.getHeader("List-Unsubscribe")[0], "default");
        assertThat(receipt.getHeader("List-Unsubscribe")).isNull();
        assertThat(receipt.getHeader("List-Unsubscribe-Post")).isNull();
    }
}
