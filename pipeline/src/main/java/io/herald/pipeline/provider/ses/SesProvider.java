package io.herald.pipeline.provider.ses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.ses.SesConfig;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.email.EmailBody;
import io.herald.pipeline.provider.email.EmailMessages;
import io.herald.pipeline.provider.render.ChannelTemplate;
import io.herald.pipeline.provider.render.OutputFormat;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Amazon SES v2 {@code SendEmail} with Simple content (subject, text and HTML parts), signed with the AWS SDK's SigV4
 * signer and sent as one HTTP request ({@link SesApi}). Nothing retries on its own: a failed send goes back to the
 * pipeline, which retries with the queue (and may pick another provider). The envelope id travels as the
 * {@code herald-id} message tag, so events and logs at SES can be matched to Herald's message. SES's errors are told
 * apart by their names, as the SDK's exception classes were (MessageRejected, SendingPausedException, ...).
 */
public final class SesProvider implements Provider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SesProvider.class);
    /** The error names the AWS SDK treats as throttling (its AwsErrorCode list), besides HTTP 429. */
    private static final Set<String> THROTTLING = Set.of(
            "Throttling",
            "ThrottlingException",
            "ThrottledException",
            "RequestThrottledException",
            "TooManyRequestsException",
            "ProvisionedThroughputExceededException",
            "TransactionInProgressException",
            "RequestLimitExceeded",
            "BandwidthLimitExceeded",
            "LimitExceededException",
            "RequestThrottled",
            "SlowDown",
            "PriorRequestNotComplete",
            "EC2ThrottledException");

    private final SesApi ses;
    private final ObjectMapper json = new ObjectMapper();
    private final SesConfig config;
    private final EmailMessages messages;
    private final Redactor redactor = Redactor.of();

    /** @param credentials AWS credentials (the default chain in production, fixed ones for a local fake) */
    public SesProvider(SesConfig config, AwsCredentialsProvider credentials, Clock clock) {
        this(config, credentials, clock, HeraldConfig.defaults().pipeline().maxInFlightPerWorker());
    }

    /**
     * @param maxConnections the most sends the pipeline makes through this provider at once
     *     ({@code pipeline.maxInFlightPerWorker}): the HTTP pool's size, so no send waits for a connection
     */
    public SesProvider(SesConfig config, AwsCredentialsProvider credentials, Clock clock, int maxConnections) {
        this(config, credentials, clock, maxConnections, UnsubscribeLinks.none());
    }

    /** @param unsubscribeLinks the List-Unsubscribe headers of each email (Simple content's {@code Headers}) */
    public SesProvider(
            SesConfig config,
            AwsCredentialsProvider credentials,
            Clock clock,
            int maxConnections,
            UnsubscribeLinks unsubscribeLinks) {
        this.config = config;
        this.ses = new SesApi(config.endpoint(), config.region(), credentials, config.timeout(), maxConnections, json);
        this.messages = new EmailMessages(
                config.from(), ChannelTemplate.load(config.template(), OutputFormat.HTML), unsubscribeLinks);
    }

    @Override
    public String name() {
        return "ses";
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public Outcome send(Envelope envelope) {
        ObjectNode request;
        try {
            request = request(envelope);
        } catch (AddressException | UnsupportedEncodingException e) {
            return new Outcome.Rejected("invalid address: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome.ProviderDown("rendering failed: " + redactor.brief(String.valueOf(e.getMessage()), 300));
        }
        Outcome outcome;
        try {
            SesApi.Answer answer = ses.send(request);
            outcome = classify(answer);
        } catch (InterruptedIOException e) {
            outcome = new Outcome.Retry(
                    Duration.ZERO, "SES: timed out: " + e.getClass().getSimpleName());
        } catch (IOException | SdkException e) {
            // SdkException: the credentials could not be resolved (the default chain found none, say).
            outcome = new Outcome.Retry(
                    Duration.ZERO,
                    "SES: " + e.getClass().getSimpleName() + ": "
                            + redactor.brief(String.valueOf(e.getMessage()), 300));
        }
        log.debug("ses {} -> {}", envelope.id(), outcome);
        return outcome;
    }

    /** SendEmail's JSON body, as the SDK's marshaller wrote it. */
    private ObjectNode request(Envelope envelope) throws AddressException, UnsupportedEncodingException {
        InternetAddress to = new InternetAddress(envelope.target(), envelope.targetName(), "UTF-8");
        to.validate();
        String from = envelope.sender() == null || envelope.sender().email() == null
                ? config.from()
                : new InternetAddress(
                                envelope.sender().email(), envelope.sender().name(), "UTF-8")
                        .toString();
        EmailBody body = messages.body(envelope);
        String subject =
                envelope.content().title() == null ? "" : envelope.content().title();
        ObjectNode request = json.createObjectNode();
        request.put("FromEmailAddress", from);
        request.putObject("Destination").putArray("ToAddresses").add(to.toString());
        ObjectNode simple = request.putObject("Content").putObject("Simple");
        simple.putObject("Subject").put("Data", subject).put("Charset", "UTF-8");
        ObjectNode parts = simple.putObject("Body");
        parts.putObject("Text").put("Data", body.text()).put("Charset", "UTF-8");
        parts.putObject("Html").put("Data", body.html()).put("Charset", "UTF-8");
        Map<String, String> headers = messages.unsubscribeHeaders(envelope);
        if (!headers.isEmpty()) {
            // SES v2 adds a Simple message's Headers to the mail it builds (List-Unsubscribe is allowed once).
            var list = simple.putArray("Headers");
            headers.forEach((name, value) -> list.addObject().put("Name", name).put("Value", value));
        }
        request.putArray("EmailTags").addObject().put("Name", "herald-id").put("Value", envelope.id());
        if (!config.configurationSet().isBlank()) {
            request.put("ConfigurationSetName", config.configurationSet());
        }
        return request;
    }

    static boolean isThrottling(SesApi.Answer answer) {
        return answer.status() == 429 || THROTTLING.contains(answer.errorType());
    }

    Outcome classify(SesApi.Answer answer) {
        if (answer.ok()) {
            return new Outcome.Delivered(answer.messageId());
        }
        int status = answer.status();
        String why = "SES: " + answer.errorType() + " (" + status + "): "
                + redactor.brief(String.valueOf(answer.errorMessage()), 300);
        return switch (answer.errorType()) {
            case "SendingPausedException", "AccountSuspendedException" -> new Outcome.ProviderDown(why);
            case "MessageRejected", "MailFromDomainNotVerifiedException", "BadRequestException" ->
                new Outcome.Rejected(why);
            // A missing configuration set or identity hits every message alike.
            case "NotFoundException" -> new Outcome.ProviderDown(why);
            default ->
                isThrottling(answer)
                        ? Outcome.Retry.slowDown(config.ratePeriod(), why)
                        : status == 401 || status == 403
                                ? new Outcome.ProviderDown(why)
                                : status >= 500 ? new Outcome.Retry(Duration.ZERO, why) : new Outcome.Rejected(why);
        };
    }

    @Override
    public void close() {
        try {
            ses.close();
        } catch (IOException e) {
            log.debug("closing the SES client: {}", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "SesProvider[" + config.region() + "]";
    }
}
