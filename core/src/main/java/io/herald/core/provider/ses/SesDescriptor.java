package io.herald.core.provider.ses;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;

/** Amazon SES v2 SendEmail. */
public final class SesDescriptor implements ProviderDescriptor<SesConfig> {

    @Override
    public String name() {
        return "ses";
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public String scheme() {
        return "mailto";
    }

    @Override
    public TargetRule targetRule() {
        return TargetRule.EMAIL;
    }

    @Override
    public Class<SesConfig> configType() {
        return SesConfig.class;
    }

    @Override
    public SesConfig defaults() {
        return SesConfig.defaults();
    }

    @Override
    public void validate(SesConfig config, BlockChecks checks) {
        if (config.enabled()) {
            checks.text("region", config.region(), "an AWS region such as eu-west-1");
            if (!config.endpoint().isBlank()) {
                checks.url("endpoint", config.endpoint(), false);
            }
            checks.address("from", config.from());
        }
    }
}
