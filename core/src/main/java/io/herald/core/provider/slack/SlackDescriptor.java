package io.herald.core.provider.slack;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;

/** A Slack incoming webhook; the target is whom to mention. */
public final class SlackDescriptor implements ProviderDescriptor<SlackConfig> {

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public String channel() {
        return "slack";
    }

    @Override
    public String scheme() {
        return "slack";
    }

    @Override
    public TargetRule targetRule() {
        return TargetRule.ANY;
    }

    @Override
    public Class<SlackConfig> configType() {
        return SlackConfig.class;
    }

    @Override
    public SlackConfig defaults() {
        return SlackConfig.defaults();
    }

    @Override
    public void validate(SlackConfig config, BlockChecks checks) {
        if (config.enabled()) {
            checks.webhookUrl("webhookUrl", config.webhookUrl());
        }
    }
}
