package io.herald.core.provider.mattermost;

import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import java.time.Duration;

/**
 * A Mattermost incoming webhook; the receiver's target (a channel name or {@code @user}) becomes the webhook's channel
 * override.
 *
 * @param webhookUrl the webhook URL (secret)
 */
public record MattermostConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        Secret webhookUrl)
        implements ProviderBlock {
    public static MattermostConfig defaults() {
        // Mattermost's default server rate limit is 10 requests per second.
        return new MattermostConfig(false, 1, Duration.ofSeconds(5), 10, Duration.ofSeconds(1), "", Secret.none());
    }
}
