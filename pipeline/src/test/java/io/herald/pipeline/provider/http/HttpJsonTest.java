package io.herald.pipeline.provider.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.config.Redactor;
import io.herald.pipeline.provider.Fakes;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpJsonTest {

    private WireMockServer fake;
    private HttpJson http;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        http = new HttpJson(Duration.ofSeconds(2), Redactor.of());
    }

    @AfterEach
    void stop() {
        http.close();
        fake.stop();
    }

    private HttpJson.Reply send(String path) {
        return http.post(URI.create(Fakes.baseUrl(fake) + path), "{}", Map.of(), Duration.ofSeconds(5));
    }

    @Test
    void answerLargerThanTheCapIsCutAtTheCap() {
        fake.stubFor(
                post(urlEqualTo("/huge")).willReturn(aResponse().withStatus(400).withBody("é".repeat(2_000_000))));

        HttpJson.Reply reply = send("/huge");

        assertThat(reply).isInstanceOf(HttpJson.Answer.class);
        HttpJson.Answer answer = (HttpJson.Answer) reply;
        assertThat(answer.status()).isEqualTo(400);
        int half = HttpJson.MAX_ANSWER_BYTES / 2;
        assertThat(answer.body().length()).isBetween(half - 1, half + 1);
    }

    @Test
    void answerWithinTheCapIsReadWhole() {
        fake.stubFor(post(urlEqualTo("/ok"))
                .willReturn(aResponse().withStatus(200).withBody("{\"ok\":true,\"note\":\"ünï\"}")));
        String exact = "z".repeat(HttpJson.MAX_ANSWER_BYTES);
        fake.stubFor(post(urlEqualTo("/exact"))
                .willReturn(aResponse().withStatus(200).withBody(exact)));

        assertThat(((HttpJson.Answer) send("/ok")).body()).isEqualTo("{\"ok\":true,\"note\":\"ünï\"}");
        assertThat(((HttpJson.Answer) send("/exact")).body()).isEqualTo(exact);
        // The connection after a cut one still works.
        fake.stubFor(
                post(urlEqualTo("/huge")).willReturn(aResponse().withStatus(400).withBody("x".repeat(1_000_000))));
        assertThat(((HttpJson.Answer) send("/huge")).body()).hasSize(HttpJson.MAX_ANSWER_BYTES);
        assertThat(((HttpJson.Answer) send("/ok")).status()).isEqualTo(200);
    }
}
