package io.herald.core.provider.msteams;

import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import java.time.Duration;

/**
 * Microsoft Teams through a Workflows "when a Teams webhook request is received" URL.
 *
 * @param webhookUrl the workflow's URL (secret: its signature is the credential)
 */
public record TeamsConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        Secret webhookUrl)
        implements ProviderBlock {
    public static TeamsConfig defaults() {
        // Teams throttles a webhook above 4 requests per second.
        return new TeamsConfig(false, 1, Duration.ofSeconds(5), 4, Duration.ofSeconds(1), "", Secret.none());
    }
}
