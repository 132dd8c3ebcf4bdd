package io.herald.core.provider.mattermost;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;

/** A Mattermost incoming webhook; the target overrides its channel. */
public final class MattermostDescriptor implements ProviderDescriptor<MattermostConfig> {

    @Override
    public String name() {
        return "mattermost";
    }

    @Override
    public String channel() {
        return "mattermost";
    }

    @Override
    public String scheme() {
        return "mattermost";
    }

    @Override
    public TargetRule targetRule() {
        return TargetRule.ANY;
    }

    @Override
    public Class<MattermostConfig> configType() {
        return MattermostConfig.class;
    }

    @Override
    public MattermostConfig defaults() {
        return MattermostConfig.defaults();
    }

    @Override
    public void validate(MattermostConfig config, BlockChecks checks) {
        if (config.enabled()) {
            checks.webhookUrl("webhookUrl", config.webhookUrl());
        }
    }
}
