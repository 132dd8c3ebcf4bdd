package io.herald.core.provider.sendgrid;

import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import java.time.Duration;

/**
 * SendGrid v3 mail send.
 *
 * @param baseUrl API base URL (the library appends /v3/mail/send)
 * @param apiKey the API key (secret)
 * @param from From address for envelopes without a sender (a verified sender)
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
        String from)
        implements ProviderBlock {

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
                "herald@example.org");
    }
}
