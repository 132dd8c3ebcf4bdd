package io.herald.core.provider.matrix;

import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import java.time.Duration;

/**
 * Matrix client-server API, sending m.room.message events as a bot user.
 *
 * @param homeserverUrl the homeserver's base URL
 * @param accessToken the bot user's access token (secret)
 */
public record MatrixConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        String homeserverUrl,
        Secret accessToken)
        implements ProviderBlock {
    public static MatrixConfig defaults() {
        // Synapse's default message rate for a user: 0.2 per second, bursts of 10.
        return new MatrixConfig(
                false,
                1,
                Duration.ofSeconds(5),
                10,
                Duration.ofSeconds(50),
                "",
                "https://matrix-client.matrix.org",
                Secret.none());
    }
}
