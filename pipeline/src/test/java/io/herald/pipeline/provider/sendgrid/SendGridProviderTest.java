package io.herald.pipeline.provider.sendgrid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.http.HttpJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendGridProviderTest {

    private static final String KEY = "SG.secretApiKeyValue.abcdefghijklmnop";
    private static final String PATH = "/v3/mail/send";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer fake;
    private SendGridProvider provider;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        provider = new SendGridProvider(
                new SendGridConfig(
                        true,
                        1,
                        Fakes.SEND_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Fakes.baseUrl(fake),
                        Secret.of(KEY),
                        "herald@example.org",
                        SendGridConfig.EventWebhook.defaults()),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() throws Exception {
        provider.close();
        fake.stop();
    }

    private void answer(int status, String body) {
        fake.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    private JsonNode sent() throws Exception {
        return json.readTree(fake.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void acceptedMailIsDeliveredWithSendGridsMessageIdAndOurIdInCustomArgs() throws Exception {
        fake.stubFor(
                post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202).withHeader("X-Message-Id", "sg-msg-1")));
        Envelope envelope = Fixtures.envelope("email", "to@example.org");

        assertThat(provider.send(envelope)).isEqualTo(new Outcome.Delivered("sg-msg-1"));

        fake.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + KEY)));
        JsonNode body = sent();
        assertThat(body.path("personalizations")
                        .path(0)
                        .path("custom_args")
                        .path("herald_id")
                        .asText())
                .isEqualTo(envelope.id());
        assertThat(body.path("personalizations")
                        .path(0)
                        .path("to")
                        .path(0)
                        .path("email")
                        .asText())
                .isEqualTo("to@example.org");
        assertThat(body.path("from").path("email").asText()).isEqualTo("herald@example.org");
        assertThat(body.path("content").path(0).path("type").asText()).isEqualTo("text/plain");
        assertThat(body.path("content").path(1).path("type").asText()).isEqualTo("text/html");
    }

    @Test
    void badRequestIsRejectedWithSendGridsFieldErrors() {
        answer(
                400,
                "{\"errors\":[{\"message\":\"Does not contain a valid address.\","
                        + "\"field\":\"personalizations.0.to.0.email\"}]}");

        assertThat(provider.send(Fixtures.envelope("email", "to@example.org")))
                .isEqualTo(new Outcome.Rejected(
                        "SendGrid 400: personalizations.0.to.0.email: Does not contain a valid address."));
    }

    @Test
    void baseUrlPathPrefixIsKept() throws Exception {
        provider.close();
        provider = new SendGridProvider(
                new SendGridConfig(
                        true,
                        1,
                        Fakes.SEND_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        "",
                        Fakes.baseUrl(fake) + "/egress/sendgrid/",
                        Secret.of(KEY),
                        "herald@example.org",
                        SendGridConfig.EventWebhook.defaults()),
                Clock.fixed(NOW, ZoneOffset.UTC));
        fake.stubFor(post(urlEqualTo("/egress/sendgrid" + PATH))
                .willReturn(aResponse().withStatus(202)));

        assertThat(provider.send(Fixtures.envelope("email", "to@example.org"))).isInstanceOf(Outcome.Delivered.class);
    }

    @Test
    void hugeAnswerIsReadOnlyUpToTheCap() throws Exception {
        fake.stubFor(
                get(urlEqualTo("/huge")).willReturn(aResponse().withStatus(400).withBody("x".repeat(3_000_000))));
        try (CloseableHttpClient client = HttpClients.custom()
                        .addInterceptorLast(CappedAnswer.INTERCEPTOR)
                        .build();
                CloseableHttpResponse response = client.execute(new HttpGet(Fakes.baseUrl(fake) + "/huge"))) {
            assertThat(EntityUtils.toString(response.getEntity())).hasSize(HttpJson.MAX_ANSWER_BYTES);
        }
        answer(400, "{\"errors\":[{\"message\":\"" + "y".repeat(3_000_000) + "\"}]}");

        Outcome outcome = provider.send(Fixtures.envelope("email", "to@example.org"));

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) outcome).reason()).hasSizeLessThan(400);
    }

    @Test
    void thePoolCarriesAsManySendsAtOnceAsThePipelineMakesNotApachesFive() throws Exception {
        // A fake with threads to spare, answering after 1 s: 30 sends through a pool of 5 would queue
        // six deep for a connection, and those waiting past half the timeout (3 s) would fail.
        WireMockServer slow = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(80)
                .jettyAcceptors(1)
                .asynchronousResponseEnabled(false));
        slow.start();
        slow.stubFor(
                post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202).withFixedDelay(1000)));
        int sends = 30;
        try (SendGridProvider pooled = new SendGridProvider(
                        new SendGridConfig(
                                true,
                                1,
                                Duration.ofSeconds(6),
                                1000,
                                Duration.ofSeconds(1),
                                "",
                                Fakes.baseUrl(slow),
                                Secret.of(KEY),
                                "herald@example.org",
                                SendGridConfig.EventWebhook.defaults()),
                        Clock.systemUTC(),
                        sends);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < sends; i++) {
                Envelope envelope = Fixtures.envelope("email", "to" + i + "@example.org");
                outcomes.add(threads.submit(() -> pooled.send(envelope)));
            }
            for (Future<Outcome> outcome : outcomes) {
                assertThat(outcome.get()).isInstanceOf(Outcome.Delivered.class);
            }
            assertThat(arrivedBeforeFirstAnswer(slow.getAllServeEvents(), 1000)).isGreaterThan(5);
        } finally {
            slow.stop();
        }
    }

    /**
     * How many requests reached the fake before its first answer can have left it (each answer waits
     * {@code delayMillis}): with a pool of n connections, at most n can, since the next one needs a connection that
     * only an answer frees. Read from arrival times, which WireMock logs as a request comes in (its timings are logged
     * after the answer, so they may not be there yet).
     */
    private static long arrivedBeforeFirstAnswer(List<ServeEvent> events, long delayMillis) {
        long first = events.stream()
                .mapToLong(e -> e.getRequest().getLoggedDate().getTime())
                .min()
                .orElseThrow();
        return events.stream()
                .filter(e -> e.getRequest().getLoggedDate().getTime() < first + delayMillis)
                .count();
    }
}
