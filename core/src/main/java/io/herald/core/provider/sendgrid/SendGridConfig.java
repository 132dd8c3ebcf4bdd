package io.herald.core.provider.sendgrid;

import io.herald.core.config.DurationRange;
import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import jakarta.validation.Valid;
import java.time.Duration;
import org.hibernate.validator.constraints.Range;

/**
 * SendGrid v3 mail send.
 *
 * @param baseUrl API base URL (the library appends /v3/mail/send)
 * @param apiKey the API key (secret)
 * @param from From address for envelopes without a sender (a verified sender)
 * @param eventWebhook the signed Event Webhook SendGrid reports bounces, drops, deferrals, spam reports and deliveries
 *     through, at {@code POST /v1/feedback/sendgrid}; independent of {@code enabled} (the API may take feedback for
 *     mail a pipeline elsewhere sent)
 */
public record SendGridConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        String baseUrl,
        Secret apiKey,
        String from,
        @Valid EventWebhook eventWebhook)
        implements ProviderBlock {

    public SendGridConfig {
        eventWebhook = eventWebhook == null ? EventWebhook.defaults() : eventWebhook;
    }

    /**
     * The custom arg each mail carries Herald's message id in. SendGrid copies custom args into every Event Webhook
     * event as a top-level field, which is how a bounce finds its message.
     */
    public static final String MESSAGE_ID_ARG = "herald_id";

    public static SendGridConfig defaults() {
        // SendGrid publishes no fixed figure for mail/send; it answers 429 with X-RateLimit-Reset.
        return new SendGridConfig(
                false,
                1,
                Duration.ofSeconds(5),
                100,
                Duration.ofSeconds(1),
                "",
                "https://api.sendgrid.com",
                Secret.none(),
                "herald@example.org",
                EventWebhook.defaults());
    }

    /**
     * @param publicKey the Event Webhook's verification key as SendGrid's settings page shows it (base64 of the DER
     *     public key, ECDSA P-256); empty: the endpoint answers 503
     * @param replayWindow a call whose signed timestamp is further than this from now, either way, is refused (401)
     * @param maxBodyBytes largest batch accepted (SendGrid posts batches of up to 768 KB)
     */
    public record EventWebhook(
            String publicKey,
            @DurationRange(min = "30s", max = "1h") Duration replayWindow,
            @Range(min = 1024, max = 16 * 1024 * 1024) int maxBodyBytes) {

        public EventWebhook {
            publicKey = publicKey == null ? "" : publicKey.strip();
        }

        public static EventWebhook defaults() {
            return new EventWebhook("", Duration.ofMinutes(5), 1024 * 1024);
        }

        public boolean enabled() {
            return !publicKey.isEmpty();
        }
    }
}
