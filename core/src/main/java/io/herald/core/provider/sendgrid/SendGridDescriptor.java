package io.herald.core.provider.sendgrid;

import io.herald.core.config.Secret;
import io.herald.core.feedback.FeedbackWebhook;
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
        checkEventWebhook(config.eventWebhook(), checks);
    }

    /** A key set is checked now, so a typo shows at start-up instead of as every webhook call refused. */
    private static void checkEventWebhook(SendGridConfig.EventWebhook webhook, BlockChecks checks) {
        if (!webhook.enabled()) {
            return;
        }
        try {
            SendGridWebhookSignature.of(webhook.publicKey());
        } catch (IllegalArgumentException e) {
            checks.problem(
                    "eventWebhook.publicKey",
                    e.getMessage() + "; copy the verification key from SendGrid's Mail Settings > Event Webhook "
                            + "(Signed Event Webhook), or leave it empty to turn the endpoint off");
        }
    }

    /** SendGrid's Signed Event Webhook, at {@code POST /v1/feedback/sendgrid}. */
    @Override
    public Optional<FeedbackWebhook> feedbackWebhook(SendGridConfig config) {
        return Optional.of(new SendGridEventWebhook(name(), config.eventWebhook()));
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
                        demo.from(),
                        sendgrid.eventWebhook())));
    }
}
