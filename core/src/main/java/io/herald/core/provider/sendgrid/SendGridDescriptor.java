package io.herald.core.provider.sendgrid;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;

/** SendGrid v3 mail send. */
public final class SendGridDescriptor implements ProviderDescriptor<SendGridConfig> {

    @Override
    public String name() {
        return "sendgrid";
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
    public Class<SendGridConfig> configType() {
        return SendGridConfig.class;
    }

    @Override
    public SendGridConfig defaults() {
        return SendGridConfig.defaults();
    }

    @Override
    public void validate(SendGridConfig config, BlockChecks checks) {
        if (config.enabled()) {
            checks.url("baseUrl", config.baseUrl(), false);
            checks.secret("apiKey", config.apiKey(), "the API key SendGrid gave you (SG....)");
            checks.address("from", config.from());
        }
    }
}
