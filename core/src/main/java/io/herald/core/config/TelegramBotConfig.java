package io.herald.core.config;

import java.time.Duration;

/**
 * {@code herald telegram-bot}: answers /start with the {@code --mail-user=telegram:<chatId>} to use. It must be the bot
 * the Telegram provider sends through (a bot can only write to chats that started it), so by default it takes that
 * provider's token and URL.
 *
 * @param botToken the bot's token; empty: providers.telegram.botToken
 * @param baseUrl Bot API base URL; empty: providers.telegram.baseUrl
 * @param pollTimeout how long one getUpdates long poll waits for news (0s-50s)
 * @param registry file the bot appends the chat id of every /start to; when set, the forwarder only sends to Telegram
 *     chats listed there, so nobody can name a stranger's chat id in --mail-user. Empty: no registration step
 */
public record TelegramBotConfig(
        Secret botToken,
        String baseUrl,
        @DurationRange(min = "0s", max = "50s") Duration pollTimeout,
        String registry) {

    public TelegramBotConfig {
        botToken = botToken == null ? Secret.none() : botToken;
    }

    public static TelegramBotConfig defaults() {
        return new TelegramBotConfig(Secret.none(), "", Duration.ofSeconds(30), "");
    }
}
