package io.herald.pipeline.provider.ses;

import io.herald.core.config.HeraldConfig;
import io.herald.core.provider.ses.SesConfig;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Envelope;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.email.EmailBody;
import io.herald.pipeline.provider.email.EmailMessages;
import io.herald.pipeline.provider.render.ChannelTemplate;
import io.herald.pipeline.provider.render.OutputFormat;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendEmailResponse;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Amazon SES v2 {@code SendEmail} with Simple content (subject, text and HTML parts) through the
 * AWS SDK. The SDK does not retry: a failed send goes back to the pipeline, which retries with the
 * queue (and may pick another provider). The envelope id travels as the {@code herald-id} message
 * tag, so events and logs at SES can be matched to Herald's message.
 */
public final class SesProvider implements Provider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SesProvider.class);

    private final SesV2Client ses;
    private final SesConfig config;
    private final EmailMessages messages;
    private final Redactor redactor = Redactor.of();

    /** @param credentials AWS credentials (the default chain in production, fixed ones for a local fake) */
    public SesProvider(SesConfig config, AwsCredentialsProvider credentials, Clock clock) {
        this(config, credentials, clock, HeraldConfig.defaults().pipeline().maxInFlightPerWorker());
    }

    /**
     * @param maxConnections  the most sends the pipeline makes through this provider at once
     *                        ({@code pipeline.maxInFlightPerWorker}): the HTTP pool's size (the SDK's
     *                        default is 50), so no send waits for a connection
     */
    public SesProvider(SesConfig config, AwsCredentialsProvider credentials, Clock clock,
                       int maxConnections) {
        this.config = config;
        Duration timeout = config.timeout();
        SesV2ClientBuilder builder = SesV2Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(timeout).connectionTimeout(timeout)
                        .maxConnections(maxConnections))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (!config.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(config.endpoint().strip()));
        }
        this.ses = builder.build();
        this.messages = new EmailMessages(config.from(), ChannelTemplate.load(config.template(), OutputFormat.HTML));
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
        SendEmailRequest request;
        try {
            request = request(envelope);
        } catch (AddressException | UnsupportedEncodingException e) {
            return new Outcome.Rejected("invalid address: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome.ProviderDown("rendering failed: " + redactor.brief(String.valueOf(e.getMessage()), 300));
        }
        Outcome outcome;
        try {
            SendEmailResponse response = ses.sendEmail(request);
            outcome = new Outcome.Delivered(response.messageId());
        } catch (SdkException e) {
            outcome = classify(e);
        }
        log.debug("ses {} -> {}", envelope.id(), outcome);
        return outcome;
    }

    private SendEmailRequest request(Envelope envelope) throws AddressException, UnsupportedEncodingException {
        InternetAddress to = new InternetAddress(envelope.target(), envelope.targetName(), "UTF-8");
        to.validate();
        String from = envelope.sender() == null || envelope.sender().email() == null
                ? config.from()
                : new InternetAddress(envelope.sender().email(), envelope.sender().name(), "UTF-8").toString();
        EmailBody body = messages.body(envelope);
        String subject = envelope.content().title() == null ? "" : envelope.content().title();
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .fromEmailAddress(from)
                .destination(d -> d.toAddresses(to.toString()))
                .content(c -> c.simple(m -> m
                        .subject(s -> s.data(subject).charset("UTF-8"))
                        .body(b -> b.text(t -> t.data(body.text()).charset("UTF-8"))
                                .html(h -> h.data(body.html()).charset("UTF-8")))))
                .emailTags(MessageTag.builder().name("herald-id").value(envelope.id()).build());
        if (!config.configurationSet().isBlank()) {
            request.configurationSetName(config.configurationSet());
        }
        return request.build();
    }

    static boolean isThrottling(SdkException e) {
        return e instanceof TooManyRequestsException || e instanceof LimitExceededException
                || (e instanceof AwsServiceException a && (a.isThrottlingException() || a.statusCode() == 429));
    }

    Outcome classify(SdkException e) {
        String why = "SES: " + describe(e);
        return switch (e) {
            case SendingPausedException p -> new Outcome.ProviderDown(why);
            case AccountSuspendedException s -> new Outcome.ProviderDown(why);
            case MessageRejectedException r -> new Outcome.Rejected(why);
            case MailFromDomainNotVerifiedException m -> new Outcome.Rejected(why);
            case BadRequestException b -> new Outcome.Rejected(why);
            // A missing configuration set or identity hits every message alike.
            case NotFoundException n -> new Outcome.ProviderDown(why);
            case AwsServiceException a when isThrottling(a) -> Outcome.Retry.slowDown(config.ratePeriod(), why);
            case AwsServiceException a when a.statusCode() == 401 || a.statusCode() == 403 -> new Outcome.ProviderDown(why);
            case AwsServiceException a when a.statusCode() >= 500 -> new Outcome.Retry(Duration.ZERO, why);
            case AwsServiceException a -> new Outcome.Rejected(why);
            case SdkClientException c -> new Outcome.Retry(Duration.ZERO, why);
            default -> new Outcome.Retry(Duration.ZERO, why);
        };
    }

    private String describe(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode() + " (" + a.statusCode() + "): "
                    + redactor.brief(String.valueOf(a.awsErrorDetails().errorMessage()), 300);
        }
        return e.getClass().getSimpleName() + ": " + redactor.brief(String.valueOf(e.getMessage()), 300);
    }

    @Override
    public void close() {
        ses.close();
    }

    @Override
    public String toString() {
        return "SesProvider[" + config.region() + "]";
    }
}
