package io.herald.core.provider.discord;

import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import java.time.Duration;

/**
 * A Discord webhook.
 *
 * @param webhookUrl the webhook URL (secret)
 */
public record DiscordConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        Secret webhookUrl)
        implements ProviderBlock {
    public static DiscordConfig defaults() {
        // Discord webhooks allow about 5 requests per 2 seconds.
        return new DiscordConfig(false, 1, Duration.ofSeconds(5), 5, Duration.ofSeconds(2), "", Secret.none());
    }
}
