package io.herald.core.provider.slack;

import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import java.time.Duration;

/**
 * A Slack incoming webhook.
 *
 * @param webhookUrl the webhook URL (secret)
 */
public record SlackConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        Secret webhookUrl)
        implements ProviderBlock {
    public static SlackConfig defaults() {
        // Slack allows about one message per second per incoming webhook.
        return new SlackConfig(false, 1, Duration.ofSeconds(5), 1, Duration.ofSeconds(1), "", Secret.none());
    }
}
