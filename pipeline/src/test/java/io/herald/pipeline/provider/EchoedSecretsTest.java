package io.herald.pipeline.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.herald.core.config.Secret;
import io.herald.core.provider.discord.DiscordConfig;
import io.herald.core.provider.matrix.MatrixConfig;
import io.herald.core.provider.mattermost.MattermostConfig;
import io.herald.core.provider.msteams.TeamsConfig;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.provider.slack.SlackConfig;
import io.herald.core.provider.telegram.TelegramConfig;
import io.herald.pipeline.provider.discord.DiscordProvider;
import io.herald.pipeline.provider.matrix.MatrixProvider;
import io.herald.pipeline.provider.mattermost.MattermostProvider;
import io.herald.pipeline.provider.msteams.TeamsProvider;
import io.herald.pipeline.provider.sendgrid.SendGridProvider;
import io.herald.pipeline.provider.slack.SlackProvider;
import io.herald.pipeline.provider.telegram.TelegramProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every HTTP provider against a fake that echoes the request back into its error answer, in the provider's own error
 * shape, the way careless servers and proxies do: the request line raw, the whole URL URL-encoded (upper- and
 * lower-case hex), JSON-escaped with {@code \/}, the headers raw, URL-encoded and base64-encoded. The credential must
 * appear in none of the outcome reasons (what the status API, /status, {@code herald dlq} and the dashboard show) nor
 * in Herald's log.
 */
class EchoedSecretsTest {

    private static final String TELEGRAM_TOKEN = "123456789:AAH-secretBotToken_xyz-0123456789abcdef";
    private static final String SLACK_KEY = "secretSlackHookPart123";
    private static final String MATTERMOST_KEY = "xsecrethookid1234567";
    private static final String DISCORD_KEY = "discordSecretToken_abc-DEF";
    private static final String TEAMS_SIG = "teamsSecretSignature0123456789";
    private static final String MATRIX_TOKEN = "syt_bWF0cml4Ym90_secretAccessToken_1a2b3c";
    private static final String SENDGRID_KEY = "SG.secretKeyPart_abc.moreSecret-xyz";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the fake echoes the request, one form per send. */
    enum Form {
        REQUEST_LINE(r -> "POST " + r.url()),
        URL_ENCODED(r -> URLEncoder.encode(r.absoluteUrl(), StandardCharsets.UTF_8)),
        URL_ENCODED_LOWER(r -> lowerHex(URLEncoder.encode(r.absoluteUrl(), StandardCharsets.UTF_8))),
        JSON_SLASHES(r -> r.absoluteUrl().replace("/", "\\/")),
        HEADERS(Echo.Request::headers),
        HEADERS_URL_ENCODED(
                r -> URLEncoder.encode(r.headers(), StandardCharsets.UTF_8).replace("+", "%20")),
        CREDENTIAL_BASE64(r -> Base64.getEncoder().encodeToString(r.credential().getBytes(StandardCharsets.UTF_8)));

        final Function<Echo.Request, String> echo;

        Form(Function<Echo.Request, String> echo) {
            this.echo = echo;
        }
    }

    /** One provider: how to build it on the fake, what its secret is, how its API words an error. */
    record Case(
            String name,
            Function<String, HttpOrSdk> build,
            String target,
            String secret,
            int status,
            UnaryOperator<String> errorBody) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A provider and how to close it. */
    record HttpOrSdk(Provider provider, AutoCloseable closer) {}

    private final Echo echo = new Echo();
    private WireMockServer fake;

    @BeforeEach
    void start() {
        fake = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(16)
                .jettyAcceptors(1)
                .asynchronousResponseEnabled(false)
                .extensions(echo));
        fake.start();
        fake.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
    }

    @AfterEach
    void stop() {
        fake.stop();
    }

    static Stream<Case> providers() {
        Duration t = Duration.ofMillis(2000);
        Duration s = Duration.ofSeconds(1);
        Clock clock = Clock.systemUTC();
        return Stream.of(
                new Case(
                        "telegram",
                        base -> http(new TelegramProvider(
                                new TelegramConfig(
                                        true, 1, t, 1000, s, "", base, Secret.of(TELEGRAM_TOKEN), Duration.ZERO),
                                clock)),
                        "-100123",
                        TELEGRAM_TOKEN,
                        400,
                        e -> json(Map.of("ok", false, "error_code", 400, "description", "Bad Request: " + e))),
                new Case(
                        "slack",
                        base -> http(new SlackProvider(
                                new SlackConfig(
                                        true,
                                        1,
                                        t,
                                        1000,
                                        s,
                                        "",
                                        Secret.of(base + "/services/T0001/B0001/" + SLACK_KEY)),
                                clock)),
                        "x",
                        SLACK_KEY,
                        400,
                        e -> "invalid_payload " + e),
                new Case(
                        "mattermost",
                        base -> http(new MattermostProvider(
                                new MattermostConfig(
                                        true, 1, t, 1000, s, "", Secret.of(base + "/hooks/" + MATTERMOST_KEY)),
                                clock)),
                        "town-square",
                        MATTERMOST_KEY,
                        404,
                        e -> json(Map.of(
                                "id", "web.incoming_webhook.channel.app_error", "message", e, "status_code", 404))),
                new Case(
                        "discord",
                        base -> http(new DiscordProvider(
                                new DiscordConfig(
                                        true,
                                        1,
                                        t,
                                        1000,
                                        s,
                                        "",
                                        Secret.of(base + "/api/webhooks/1234567890/" + DISCORD_KEY)),
                                clock)),
                        "x",
                        DISCORD_KEY,
                        400,
                        e -> json(Map.of("message", "Invalid Form Body " + e, "code", 50035))),
                new Case(
                        "msteams",
                        base -> http(new TeamsProvider(
                                new TeamsConfig(
                                        true,
                                        1,
                                        t,
                                        1000,
                                        s,
                                        "",
                                        Secret.of(base
                                                + "/workflows/abc/triggers/manual/paths/invoke"
                                                + "?api-version=1&sp=%2Ftriggers"
                                                + "&sig=" + TEAMS_SIG)),
                                clock)),
                        "x",
                        TEAMS_SIG,
                        400,
                        e -> json(Map.of("error", Map.of("code", "InvalidRequestContent", "message", e)))),
                new Case(
                        "matrix",
                        base -> http(new MatrixProvider(
                                new MatrixConfig(true, 1, t, 1000, s, "", base, Secret.of(MATRIX_TOKEN)), clock)),
                        "!room:example.org",
                        MATRIX_TOKEN,
                        400,
                        e -> json(Map.of("errcode", "M_BAD_JSON", "error", e))),
                new Case(
                        "sendgrid",
                        base -> {
                            SendGridProvider p = new SendGridProvider(
                                    new SendGridConfig(
                                            true,
                                            1,
                                            t,
                                            1000,
                                            s,
                                            "",
                                            base,
                                            Secret.of(SENDGRID_KEY),
                                            "herald@example.org",
                                            SendGridConfig.EventWebhook.defaults()),
                                    clock);
                            return new HttpOrSdk(p, p);
                        },
                        "to@example.org",
                        SENDGRID_KEY,
                        400,
                        e -> json(Map.of("errors", List.of(Map.of("message", e, "field", "content"))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void echoedCredentialAppearsInNoReasonAndNoLog(Case c) throws Exception {
        HttpOrSdk built = c.build().apply(Fakes.baseUrl(fake));
        List<String> reasons = new ArrayList<>();
        try (CapturedLogs logs = new CapturedLogs()) {
            for (Form form : Form.values()) {
                echo.answer(c.status(), form, c.errorBody());
                Outcome outcome =
                        built.provider().send(Fixtures.envelope(built.provider().channel(), c.target()));
                assertThat(outcome).as(form.name()).isNotInstanceOf(Outcome.Delivered.class);
                reasons.add(form + ": " + outcome);
            }
            String log = logs.heraldText();
            assertThat(echo.served()).isEqualTo(Form.values().length);
            for (String form : forms(c.secret())) {
                assertThat(reasons).as("reasons").noneMatch(r -> r.contains(form));
                assertThat(log).as("log").doesNotContain(form);
            }
            assertThat(String.join("\n", reasons)).contains("(redacted)");
        } finally {
            built.closer().close();
        }
    }

    /** Every way the secret could be spelled in an answer, and its distinctive middle on its own. */
    private static List<String> forms(String secret) {
        List<String> forms = new ArrayList<>();
        for (String s : List.of(secret, secret.substring(4, secret.length() - 4))) {
            String encoded = URLEncoder.encode(s, StandardCharsets.UTF_8);
            forms.addAll(List.of(
                    s,
                    encoded,
                    lowerHex(encoded),
                    encoded.replace("+", "%20"),
                    s.replace("/", "\\/"),
                    Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))));
        }
        return forms;
    }

    private static String lowerHex(String encoded) {
        return java.util.regex.Pattern.compile("%[0-9A-F]{2}")
                .matcher(encoded)
                .replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
    }

    private static HttpOrSdk http(Provider provider) {
        return new HttpOrSdk(provider, (AutoCloseable) provider);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The echoing answer: a WireMock transformer that rewrites every answer from the request. */
    static final class Echo implements ResponseTransformerV2 {

        /** @param credential the bearer token, else the longest path segment (a webhook's key) */
        record Request(String url, String absoluteUrl, String headers, String credential) {}

        private volatile int status;
        private volatile Form form;
        private volatile UnaryOperator<String> shape;
        private volatile int served;

        void answer(int status, Form form, UnaryOperator<String> shape) {
            this.status = status;
            this.form = form;
            this.shape = shape;
        }

        int served() {
            return served;
        }

        @Override
        public Response transform(Response response, ServeEvent event) {
            var request = event.getRequest();
            String authorization = request.containsHeader("Authorization") ? request.getHeader("Authorization") : "";
            String credential = authorization.isEmpty()
                    ? Stream.of(request.getUrl().split("[/?]"))
                            .max(java.util.Comparator.comparingInt(String::length))
                            .orElse("")
                    : authorization.substring(authorization.indexOf(' ') + 1);
            Request echoed = new Request(
                    request.getUrl(),
                    request.getAbsoluteUrl(),
                    "Authorization: " + authorization + "; "
                            + request.getHeaders().all(),
                    credential);
            served++;
            return Response.Builder.like(response)
                    .but()
                    .status(status)
                    .body(shape.apply(form.echo.apply(echoed)))
                    .build();
        }

        @Override
        public String getName() {
            return "echo-request";
        }
    }
}
