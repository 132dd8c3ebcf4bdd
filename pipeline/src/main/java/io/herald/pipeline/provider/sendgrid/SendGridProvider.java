package io.herald.pipeline.provider.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sendgrid.Client;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.Personalization;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.RetryAfter;
import io.herald.pipeline.provider.email.EmailBody;
import io.herald.pipeline.provider.email.EmailMessages;
import io.herald.pipeline.provider.render.ChannelTemplate;
import io.herald.pipeline.provider.render.OutputFormat;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SendGrid v3 {@code /mail/send} through sendgrid-java. The library takes a host and an http/https switch, which is all
 * a base URL needs here, and an Apache client of ours that carries the timeouts. The envelope id goes in
 * {@code custom_args} ({@code herald_id}), so SendGrid's event webhooks can be matched to Herald's message.
 */
public final class SendGridProvider implements Provider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SendGridProvider.class);

    private final SendGridConfig config;
    private final CloseableHttpClient http;
    private final SendGrid sendGrid;
    private final EmailMessages messages;
    private final Redactor redactor;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public SendGridProvider(SendGridConfig config, Clock clock) {
        this(config, clock, HeraldConfig.defaults().pipeline().maxInFlightPerWorker());
    }

    /**
     * @param maxConnections the most sends the pipeline makes through this provider at once
     *     ({@code pipeline.maxInFlightPerWorker}): the pool's size, so no send waits for a connection. Apache's default
     *     of 5 per route made sends queue for one under load, time out, and open the breaker of a healthy provider.
     */
    public SendGridProvider(SendGridConfig config, Clock clock, int maxConnections) {
        this(config, clock, maxConnections, UnsubscribeLinks.none());
    }

    /** @param unsubscribeLinks the List-Unsubscribe headers of each email (mail/send's {@code headers}) */
    public SendGridProvider(SendGridConfig config, Clock clock, int maxConnections, UnsubscribeLinks unsubscribeLinks) {
        this.config = config;
        this.clock = clock;
        this.redactor = Redactor.of(config.apiKey());
        int half = (int) config.timeout().dividedBy(2).toMillis();
        this.http = HttpClients.custom()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(half)
                        .setSocketTimeout(half)
                        .setConnectionRequestTimeout(half)
                        .build())
                .setMaxConnPerRoute(maxConnections)
                .setMaxConnTotal(maxConnections)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .useSystemProperties()
                .addInterceptorLast(CappedAnswer.INTERCEPTOR)
                .build();
        URI base = URI.create(config.baseUrl().strip());
        // The library's "test" switch means plain http: what a local fake speaks.
        this.sendGrid =
                new SendGrid(config.apiKey().reveal(), new Client(http, "http".equalsIgnoreCase(base.getScheme())));
        this.sendGrid.setHost(base.getRawAuthority());
        // The library builds "/" + version + "/" + endpoint on the host alone; a base URL's path (a
        // proxy's prefix such as https://proxy.example.org/sendgrid) goes in front of the version.
        String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("^/+|/+$", "");
        this.sendGrid.setVersion(prefix.isEmpty() ? "v3" : prefix + "/v3");
        this.messages = new EmailMessages(
                config.from(), ChannelTemplate.load(config.template(), OutputFormat.HTML), unsubscribeLinks);
    }

    @Override
    public String name() {
        return "sendgrid";
    }

    @Override
    public String channel() {
        return "email";
    }

    /** The mail/send body for an envelope. */
    public String body(Envelope envelope) throws IOException {
        EmailBody body = messages.body(envelope);
        Mail mail = new Mail();
        mail.setFrom(
                envelope.sender() == null || envelope.sender().email() == null
                        ? new Email(config.from())
                        : new Email(envelope.sender().email(), envelope.sender().name()));
        mail.setSubject(
                envelope.content().title() == null || envelope.content().title().isBlank()
                        ? "(no subject)"
                        : envelope.content().title());
        Personalization to = new Personalization();
        to.addTo(
                envelope.targetName() == null
                        ? new Email(envelope.target())
                        : new Email(envelope.target(), envelope.targetName()));
        to.addCustomArg(SendGridConfig.MESSAGE_ID_ARG, envelope.id());
        mail.addPersonalization(to);
        mail.addContent(new Content("text/plain", body.text().isEmpty() ? " " : body.text()));
        mail.addContent(new Content("text/html", body.html()));
        mail.addHeader("X-Herald-Id", envelope.id());
        messages.unsubscribeHeaders(envelope).forEach(mail::addHeader);
        return mail.build();
    }

    @Override
    public Outcome send(Envelope envelope) {
        Request request = new Request();
        request.setMethod(Method.POST);
        request.setEndpoint("mail/send");
        try {
            request.setBody(body(envelope));
        } catch (IOException | RuntimeException e) {
            return new Outcome.ProviderDown("rendering failed: " + redactor.brief(String.valueOf(e.getMessage()), 300));
        }
        Outcome outcome;
        try {
            Response response = sendGrid.api(request);
            outcome = classify(response);
        } catch (InterruptedIOException e) {
            outcome = new Outcome.Retry(Duration.ZERO, "SendGrid: timed out");
        } catch (IOException e) {
            outcome = new Outcome.Retry(
                    Duration.ZERO,
                    "SendGrid: not reached: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + redactor.brief(e.getMessage(), 200)));
        }
        log.debug("sendgrid {} -> {}", envelope.id(), outcome);
        return outcome;
    }

    Outcome classify(Response response) {
        int status = response.getStatusCode();
        Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
        if (status == 202 || status == 200) {
            return new Outcome.Delivered(header(headers, "X-Message-Id").orElse(""));
        }
        String why = "SendGrid " + status + errors(response.getBody());
        return switch (status) {
            case 429 ->
                Outcome.Retry.slowDown(
                        header(headers, "X-RateLimit-Reset")
                                .flatMap(v -> RetryAfter.epochSeconds(v, clock))
                                .orElse(Duration.ZERO),
                        why);
            case 400, 413 -> new Outcome.Rejected(why);
            case 401, 403 -> new Outcome.ProviderDown(why);
            default -> new Outcome.Retry(Duration.ZERO, why);
        };
    }

    private String errors(String body) {
        try {
            JsonNode tree = json.readTree(body == null || body.isBlank() ? "{}" : body);
            List<String> messages = new ArrayList<>();
            tree.path("errors")
                    .forEach(e -> messages.add(
                            (e.hasNonNull("field") ? e.path("field").asText() + ": " : "")
                                    + e.path("message").asText("")));
            return messages.isEmpty() ? "" : ": " + redactor.brief(String.join("; ", messages), 300);
        } catch (IOException e) {
            return body == null || body.isBlank() ? "" : ": " + redactor.brief(body, 200);
        }
    }

    private static Optional<String> header(Map<String, String> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    @Override
    public String toString() {
        return "SendGridProvider[" + config.baseUrl() + "]";
    }
}
