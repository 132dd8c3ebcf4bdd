package io.herald.core.provider.discord;

import io.herald.core.config.ProviderConfig;
import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;

/** A Discord webhook; the target is whom to mention. */
public final class DiscordDescriptor implements ProviderDescriptor<ProviderConfig.Discord> {

    @Override
    public String name() {
        return "discord";
    }

    @Override
    public String channel() {
        return "discord";
    }

    @Override
    public String scheme() {
        return "discord";
    }

    @Override
    public TargetRule targetRule() {
        return TargetRule.ANY;
    }

    @Override
    public Class<ProviderConfig.Discord> configType() {
        return ProviderConfig.Discord.class;
    }

    @Override
    public ProviderConfig.Discord defaults() {
        return ProviderConfig.Discord.defaults();
    }

    @Override
    public void validate(ProviderConfig.Discord config, BlockChecks checks) {
        if (config.enabled()) {
            checks.webhookUrl("webhookUrl", config.webhookUrl());
        }
    }
}
