package io.herald.core.provider.msteams;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;

/** Microsoft Teams through a Workflows webhook; the target is whom to mention. */
public final class TeamsDescriptor implements ProviderDescriptor<TeamsConfig> {

    @Override
    public String name() {
        return "msteams";
    }

    @Override
    public String channel() {
        return "msteams";
    }

    @Override
    public String scheme() {
        return "msteams";
    }

    @Override
    public TargetRule targetRule() {
        return TargetRule.ANY;
    }

    @Override
    public Class<TeamsConfig> configType() {
        return TeamsConfig.class;
    }

    @Override
    public TeamsConfig defaults() {
        return TeamsConfig.defaults();
    }

    @Override
    public void validate(TeamsConfig config, BlockChecks checks) {
        if (config.enabled()) {
            checks.webhookUrl("webhookUrl", config.webhookUrl());
        }
    }
}
