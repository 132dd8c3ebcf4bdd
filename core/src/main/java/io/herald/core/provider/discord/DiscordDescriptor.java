package io.herald.core.provider.discord;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;

/** A Discord webhook; the target is whom to mention. */
public final class DiscordDescriptor implements ProviderDescriptor<DiscordConfig> {

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
    public Class<DiscordConfig> configType() {
        return DiscordConfig.class;
    }

    @Override
    public DiscordConfig defaults() {
        return DiscordConfig.defaults();
    }

    @Override
    public void validate(DiscordConfig config, BlockChecks checks) {
        if (config.enabled()) {
            checks.webhookUrl("webhookUrl", config.webhookUrl());
        }
    }
}
