package io.herald.core.config;

import io.herald.core.provider.ProviderSettings;

import java.time.Duration;

/**
 * The configuration block of each provider beside the outbox, under {@code providers.<name>}.
 *
 * <p>Every block starts with the same keys: {@code enabled}, {@code weight} (share of the channel
 * among healthy providers), {@code timeout} (one send, including waiting for the rate limiter;
 * at most {@code pipeline.sendTimeout}), {@code rateLimit} requests per {@code ratePeriod} (the
 * provider's documented limit by default) and {@code template} (a Pebble template file that
 * replaces the native rendering; empty keeps it). Secrets are {@link Secret}s, so they never print.
 * Every provider is disabled by default and points at its documented public endpoint.
 */
public final class ProviderConfig {

    /** Common to every provider block; lets validation and rate limiting treat them alike. */
    public interface Block extends ProviderSettings {
        Duration timeout();

        int rateLimit();

        Duration ratePeriod();

        String template();
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private ProviderConfig() {
    }

    /**
     * Amazon SES v2 SendEmail.
     *
     * @param region            AWS region of the SES account
     * @param endpoint          endpoint URL; empty means https://email.&lt;region&gt;.amazonaws.com
     * @param from              From address for envelopes without a sender (a verified identity)
     * @param configurationSet  SES configuration set to send with; empty for none
     */
    public record Ses(boolean enabled, int weight, Duration timeout, int rateLimit, Duration ratePeriod,
                      String template, String region, String endpoint, String from, String configurationSet)
            implements Block {
        public static Ses defaults() {
            // 1 message/s is a new (sandboxed) account's sending rate; raise it to the account's quota.
            return new Ses(false, 1, TIMEOUT, 1, SECOND, "", "us-east-1", "", "herald@example.org", "");
        }
    }

    /**
     * SendGrid v3 mail send.
     *
     * @param baseUrl  API base URL (the library appends /v3/mail/send)
     * @param apiKey   the API key (secret)
     * @param from     From address for envelopes without a sender (a verified sender)
     */
    public record SendGrid(boolean enabled, int weight, Duration timeout, int rateLimit, Duration ratePeriod,
                           String template, String baseUrl, Secret apiKey, String from) implements Block {
        public static SendGrid defaults() {
            // SendGrid publishes no fixed figure for mail/send; it answers 429 with X-RateLimit-Reset.
            return new SendGrid(false, 1, TIMEOUT, 100, SECOND, "", "https://api.sendgrid.com", Secret.none(),
                    "herald@example.org");
        }
    }

    /**
     * An SMTP submission server.
     *
     * @param host      server host name
     * @param port      587 for STARTTLS, 465 for implicit TLS, 25 for none
     * @param security  starttls (required, never falls back to clear text), tls (implicit) or none
     * @param username  login; empty sends without authentication
     * @param password  password (secret)
     * @param from      From address for envelopes without a sender
     */
    public record Smtp(boolean enabled, int weight, Duration timeout, int rateLimit, Duration ratePeriod,
                       String template, String host, int port, String security, String username, Secret password,
                       String from) implements Block {
        public static Smtp defaults() {
            return new Smtp(false, 1, TIMEOUT, 10, SECOND, "", "localhost", 587, "starttls", "", Secret.none(),
                    "herald@example.org");
        }
    }

    /**
     * Microsoft Teams through a Workflows "when a Teams webhook request is received" URL.
     *
     * @param webhookUrl  the workflow's URL (secret: its signature is the credential)
     */
    public record Msteams(boolean enabled, int weight, Duration timeout, int rateLimit, Duration ratePeriod,
                          String template, Secret webhookUrl) implements Block {
        public static Msteams defaults() {
            // Teams throttles a webhook above 4 requests per second.
            return new Msteams(false, 1, TIMEOUT, 4, SECOND, "", Secret.none());
        }
    }

    /**
     * Telegram Bot API sendMessage.
     *
     * @param baseUrl       Bot API base URL
     * @param botToken      the bot's token (secret)
     * @param chatInterval  least time between two messages to one chat (Telegram: about 1 per second)
     */
    public record Telegram(boolean enabled, int weight, Duration timeout, int rateLimit, Duration ratePeriod,
                           String template, String baseUrl, Secret botToken, Duration chatInterval) implements Block {
        public static Telegram defaults() {
            // About 30 messages per second per bot, 1 per second per chat.
            return new Telegram(false, 1, TIMEOUT, 30, SECOND, "", "https://api.telegram.org", Secret.none(), SECOND);
        }
    }

    /**
     * A Slack incoming webhook.
     *
     * @param webhookUrl  the webhook URL (secret)
     */
    public record Slack(boolean enabled, int weight, Duration timeout, int rateLimit, Duration ratePeriod,
                        String template, Secret webhookUrl) implements Block {
        public static Slack defaults() {
            // Slack allows about one message per second per incoming webhook.
            return new Slack(false, 1, TIMEOUT, 1, SECOND, "", Secret.none());
        }
    }

    /**
     * A Mattermost incoming webhook; the receiver's target (a channel name or {@code @user}) becomes
     * the webhook's channel override.
     *
     * @param webhookUrl  the webhook URL (secret)
     */
    public record Mattermost(boolean enabled, int weight, Duration timeout, int rateLimit, Duration ratePeriod,
                             String template, Secret webhookUrl) implements Block {
        public static Mattermost defaults() {
            // Mattermost's default server rate limit is 10 requests per second.
            return new Mattermost(false, 1, TIMEOUT, 10, SECOND, "", Secret.none());
        }
    }

    /**
     * A Discord webhook.
     *
     * @param webhookUrl  the webhook URL (secret)
     */
    public record Discord(boolean enabled, int weight, Duration timeout, int rateLimit, Duration ratePeriod,
                          String template, Secret webhookUrl) implements Block {
        public static Discord defaults() {
            // Discord webhooks allow about 5 requests per 2 seconds.
            return new Discord(false, 1, TIMEOUT, 5, Duration.ofSeconds(2), "", Secret.none());
        }
    }

    /**
     * Matrix client-server API, sending m.room.message events as a bot user.
     *
     * @param homeserverUrl  the homeserver's base URL
     * @param accessToken    the bot user's access token (secret)
     */
    public record Matrix(boolean enabled, int weight, Duration timeout, int rateLimit, Duration ratePeriod,
                         String template, String homeserverUrl, Secret accessToken) implements Block {
        public static Matrix defaults() {
            // Synapse's default message rate for a user: 0.2 per second, bursts of 10.
            return new Matrix(false, 1, TIMEOUT, 10, Duration.ofSeconds(50), "", "https://matrix-client.matrix.org",
                    Secret.none());
        }
    }
}
