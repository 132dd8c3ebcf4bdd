package io.herald.pipeline.provider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.envelope.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checklist of docs/providers.md, run for every HTTP provider against a WireMock fake of its API:
 * each status class classified, the delay a 429 asks for honoured, a timeout and an unreachable
 * server retried, no secret in logs or outcomes, and the adversarial job name sent harmlessly. A
 * provider's own test extends this and adds only what is its own (rendering, special answers).
 *
 * @param <P> the provider under test
 */
public abstract class ProviderContractTest<P extends Provider & AutoCloseable> {

    /** The timeout providers are built with here: long enough for a loaded machine, short for the slow fake. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(3);

    /**
     * One row of the provider's classification table.
     *
     * @param status    the HTTP status the fake answers with
     * @param body      the body it answers with (the API's own error shape)
     * @param expected  the outcome it must be classified as
     */
    public record Answer(int status, String body, Class<? extends Outcome> expected) {
    }

    protected WireMockServer fake;
    protected P provider;

    /** The provider at {@code baseUrl} with {@link #TIMEOUT}, a rate limit that never bites, and {@link #secret()}. */
    protected abstract P provider(String baseUrl);

    /** The request the provider makes, as WireMock matches it (method and path). */
    protected abstract MappingBuilder request();

    /** A channel and target the provider accepts. */
    protected abstract Envelope envelope();

    /** The same, carrying {@link Fixtures#NASTY_JOB} in every field. */
    protected abstract Envelope nastyEnvelope();

    /** An answer meaning "delivered". */
    protected abstract ResponseDefinitionBuilder delivered();

    /** A 429 that asks for {@code seconds} of patience, the way the API says it. */
    protected abstract ResponseDefinitionBuilder rateLimited(int seconds);

    /** Every status class the API documents, with the outcome each must become. */
    protected abstract List<Answer> statusClasses();

    /** A credential the provider is configured with; it must never appear in a log or an outcome. */
    protected abstract String secret();

    /** What the provider's own markup must make of the adversarial name in the request it sent. */
    protected abstract void assertHostileContentIsHarmless(LoggedRequest sent);

    @BeforeEach
    void startContractFake() {
        fake = Fakes.start();
        provider = provider(Fakes.baseUrl(fake));
    }

    @AfterEach
    void stopContractFake() throws Exception {
        provider.close();
        fake.stop();
    }

    protected LoggedRequest sent() {
        List<LoggedRequest> requests = fake.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        assertThat(requests).as("requests the fake received").isNotEmpty();
        return requests.get(requests.size() - 1);
    }

    @Test
    void contractSuccessIsDelivered() {
        fake.stubFor(request().willReturn(delivered()));

        assertThat(provider.send(envelope())).isInstanceOf(Outcome.Delivered.class);
    }

    @TestFactory
    Stream<DynamicTest> contractEveryStatusClassIsClassified() {
        return statusClasses().stream().map(row -> DynamicTest.dynamicTest(
                row.status() + " is " + row.expected().getSimpleName(), () -> {
                    fake.resetAll();
                    fake.stubFor(request().willReturn(aResponse().withStatus(row.status())
                            .withHeader("Content-Type", "application/json").withBody(row.body())));

                    Outcome outcome = provider.send(envelope());

                    assertThat(outcome).as("answer %s %s", row.status(), row.body()).isInstanceOf(row.expected());
                }));
    }

    @Test
    void contractServerErrorIsRetried() {
        fake.stubFor(request().willReturn(aResponse().withStatus(503).withBody("unavailable")));

        assertThat(provider.send(envelope())).isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void contractRateLimitIsRetriedAfterTheDelayAskedFor() {
        fake.stubFor(request().willReturn(rateLimited(7)));

        Outcome outcome = provider.send(envelope());

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).after()).as("delay of %s", outcome).isEqualTo(Duration.ofSeconds(7));
        assertThat(((Outcome.Retry) outcome).slowDown()).as("%s tells its rate limiter to slow down", outcome).isTrue();
    }

    @Test
    void contractAnswerSlowerThanTheTimeoutIsRetriedWithoutADelayOfItsOwn() {
        fake.stubFor(request().willReturn(delivered().withFixedDelay((int) TIMEOUT.toMillis() * 2)));

        Outcome outcome = provider.send(envelope());

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).after()).isZero();
        assertThat(((Outcome.Retry) outcome).reason()).startsWith("timed out");
    }

    @Test
    void contractUnreachableServerIsRetried() {
        fake.stop();

        Outcome outcome = provider.send(envelope());

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).after()).isZero();
    }

    @Test
    void contractSecretAppearsInNoLogOrOutcomeEvenWhenTheApiEchoesIt() {
        String secret = secret();
        try (CapturedLogs logs = new CapturedLogs()) {
            fake.stubFor(request().willReturn(aResponse().withStatus(400)
                    .withBody("{\"error\":\"bad request " + secret + "\",\"echo\":\"" + secret + "\"}")));
            Outcome echoed = provider.send(envelope());
            fake.resetAll();
            fake.stubFor(request().willReturn(delivered()));
            Outcome delivered = provider.send(envelope());
            fake.stop();
            Outcome unreachable = provider.send(envelope());

            assertThat(logs.heraldText()).doesNotContain(secret);
            assertThat(echoed + " " + delivered + " " + unreachable).doesNotContain(secret);
        }
        assertThat(provider.toString()).doesNotContain(secret);
    }

    @Test
    void contractHostileJobNameIsDeliveredAndSentHarmlessly() {
        fake.stubFor(request().willReturn(delivered()));

        assertThat(provider.send(nastyEnvelope())).isInstanceOf(Outcome.Delivered.class);

        assertHostileContentIsHarmless(sent());
    }
}
