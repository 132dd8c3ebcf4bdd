package io.herald.core.provider.telegram;

import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import java.time.Duration;

/**
 * Telegram Bot API sendMessage.
 *
 * @param baseUrl Bot API base URL
 * @param botToken the bot's token (secret)
 * @param chatInterval least time between two messages to one chat (Telegram: about 1 per second)
 */
public record TelegramConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        String baseUrl,
        Secret botToken,
        Duration chatInterval)
        implements ProviderBlock {
    public static TelegramConfig defaults() {
        // About 30 messages per second per bot, 1 per second per chat.
        return new TelegramConfig(
                false,
                1,
                Duration.ofSeconds(5),
                30,
                Duration.ofSeconds(1),
                "",
                "https://api.telegram.org",
                Secret.none(),
                Duration.ofSeconds(1));
    }
}
