package io.herald.pipeline.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.envelope.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The checklist of docs/providers.md, run for every HTTP provider against a WireMock fake of its API: each status class
 * classified, the delay a 429 asks for honoured, a timeout and an unreachable server retried, no secret in logs or
 * outcomes, and the adversarial job name sent harmlessly. A provider's own test extends this and adds only what is its
 * own (rendering, special answers).
 *
 * @param <P> the provider under test
 */
public abstract class ProviderContractTest<P extends Provider & AutoCloseable> {

    /** The timeout providers are built with here: {@link Fakes#SEND_TIMEOUT}, which only stops a hang. */
    protected static final Duration TIMEOUT = Fakes.SEND_TIMEOUT;
    /** The timeout of the one provider built to time out; the fake answers five times as late. */
    protected static final Duration SHORT_TIMEOUT = Duration.ofSeconds(1);

    /**
     * One row of the provider's classification table.
     *
     * @param status the HTTP status the fake answers with
     * @param body the body it answers with (the API's own error shape)
     * @param expected the outcome it must be classified as
     */
    public record Answer(int status, String body, Class<? extends Outcome> expected) {}

    protected WireMockServer fake;
    protected P provider;
    /**
     * The clock every provider here is built with. It stands still, at a whole second, so a delay an API states as an
     * absolute time (an epoch second, an HTTP date) comes out exact, and a 429's pause never ends mid-test.
     */
    protected final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    /**
     * The provider at {@code baseUrl} with {@code timeout} ({@link #TIMEOUT} but for the timeout check), a rate limit
     * that never bites, {@link #secret()} and {@link #clock}.
     */
    protected abstract P provider(String baseUrl, Duration timeout);

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

    /** The retry delay after {@code rateLimited(asked)}: the delay asked for, unless the API asks for none. */
    protected Duration rateLimitDelay(int asked) {
        return Duration.ofSeconds(asked);
    }

    /** How the provider words a send that ran past {@link #TIMEOUT}. */
    protected void assertTimedOutReason(String reason) {
        assertThat(reason).startsWith("timed out");
    }

    /** An answer of {@code status} with a JSON body, as most of these APIs give. */
    protected static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    /** A 429 with the standard Retry-After header in seconds. */
    protected static ResponseDefinitionBuilder retryAfter(int seconds) {
        return aResponse().withStatus(429).withHeader("Retry-After", Integer.toString(seconds));
    }

    @BeforeEach
    void startContractFake() {
        fake = Fakes.start();
        provider = provider(Fakes.baseUrl(fake), TIMEOUT);
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
        return statusClasses().stream()
                .map(row -> DynamicTest.dynamicTest(
                        row.status() + " is " + row.expected().getSimpleName(), () -> {
                            fake.resetAll();
                            fake.stubFor(request().willReturn(json(row.status(), row.body())));

                            Outcome outcome = provider.send(envelope());

                            assertThat(outcome)
                                    .as("answer %s %s", row.status(), row.body())
                                    .isInstanceOf(row.expected());
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
        assertThat(((Outcome.Retry) outcome).after()).as("delay of %s", outcome).isEqualTo(rateLimitDelay(7));
    }

    @Test
    void contractAnswerSlowerThanTheTimeoutIsRetriedWithoutADelayOfItsOwn() throws Exception {
        // However busy the machine, the fake cannot answer before its delay: the send times out first.
        fake.stubFor(request().willReturn(delivered().withFixedDelay((int) SHORT_TIMEOUT.toMillis() * 5)));

        Outcome outcome;
        try (P impatient = provider(Fakes.baseUrl(fake), SHORT_TIMEOUT)) {
            outcome = impatient.send(envelope());
        }

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).after()).isZero();
        assertTimedOutReason(((Outcome.Retry) outcome).reason());
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
            fake.stubFor(request()
                    .willReturn(aResponse()
                            .withStatus(400)
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
