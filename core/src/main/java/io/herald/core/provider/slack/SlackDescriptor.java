package io.herald.core.provider.slack;

import io.herald.core.config.ProviderConfig;
import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;

/** A Slack incoming webhook; the target is whom to mention. */
public final class SlackDescriptor implements ProviderDescriptor<ProviderConfig.Slack> {

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
    public Class<ProviderConfig.Slack> configType() {
        return ProviderConfig.Slack.class;
    }

    @Override
    public ProviderConfig.Slack defaults() {
        return ProviderConfig.Slack.defaults();
    }

    @Override
    public void validate(ProviderConfig.Slack config, BlockChecks checks) {
        if (config.enabled()) {
            checks.webhookUrl("webhookUrl", config.webhookUrl());
        }
    }
}
