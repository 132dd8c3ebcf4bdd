package io.herald.core.provider.sendgrid;

import io.herald.core.config.Secret;
import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.DemoStandIn;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;
import java.util.Map;
import java.util.Optional;

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

    /** SendGrid v3 mail/send: 202 with {@code X-Message-Id}; errors are {@code {"errors":[{"message"}]}}. */
    @Override
    public Optional<DemoStandIn<SendGridConfig>> demoStandIn() {
        return Optional.of(new DemoStandIn<>(
                SendGridConfig.class,
                "/v3/mail/send",
                new DemoStandIn.Answer(202, Map.of("X-Message-Id", "{id}"), ""),
                new DemoStandIn.Answer(
                        500, Map.of(), "{\"errors\":[{\"message\":\"broken on purpose by the local chaos demo\"}]}"),
                (sendgrid, demo) -> new SendGridConfig(
                        true,
                        1,
                        demo.timeout(),
                        demo.rateLimit(),
                        demo.ratePeriod(),
                        sendgrid.template(),
                        demo.baseUrl().toString(),
                        Secret.of("SG.local-demo-key"),
                        demo.from())));
    }
}
