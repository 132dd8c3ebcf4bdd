package io.herald.core.provider.smtp;

import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import java.time.Duration;

/**
 * An SMTP submission server.
 *
 * @param host server host name
 * @param port 587 for STARTTLS, 465 for implicit TLS, 25 for none
 * @param security starttls (required, never falls back to clear text), tls (implicit) or none
 * @param username login; empty sends without authentication
 * @param password password (secret)
 * @param from From address for envelopes without a sender
 */
public record SmtpConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        String host,
        int port,
        String security,
        String username,
        Secret password,
        String from)
        implements ProviderBlock {
    public static SmtpConfig defaults() {
        return new SmtpConfig(
                false,
                1,
                Duration.ofSeconds(5),
                10,
                Duration.ofSeconds(1),
                "",
                "localhost",
                587,
                "starttls",
                "",
                Secret.none(),
                "herald@example.org");
    }
}
