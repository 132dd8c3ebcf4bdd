package io.herald.core.provider.telegram;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;
import java.time.Duration;

/** Telegram Bot API sendMessage; the target is a chat id or a public @channel. */
public final class TelegramDescriptor implements ProviderDescriptor<TelegramConfig> {

    /** A (possibly negative) numeric chat id, or a public {@code @channelname}. */
    private static final TargetRule CHAT = TargetRule.matching(
            "-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31}",
            "not a Telegram chat id (a number such as 123456789 or -1001234567890, or @channelname)");

    @Override
    public String name() {
        return "telegram";
    }

    @Override
    public String channel() {
        return "telegram";
    }

    @Override
    public String scheme() {
        return "telegram";
    }

    @Override
    public TargetRule targetRule() {
        return CHAT;
    }

    @Override
    public Class<TelegramConfig> configType() {
        return TelegramConfig.class;
    }

    @Override
    public TelegramConfig defaults() {
        return TelegramConfig.defaults();
    }

    @Override
    public void validate(TelegramConfig config, BlockChecks checks) {
        checks.duration("chatInterval", config.chatInterval(), Duration.ZERO, Duration.ofHours(1));
        if (config.enabled()) {
            checks.url("baseUrl", config.baseUrl(), false);
            checks.secret("botToken", config.botToken(), "the token @BotFather gave you");
        }
    }
}
