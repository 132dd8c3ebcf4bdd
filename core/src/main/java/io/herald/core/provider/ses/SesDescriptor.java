package io.herald.core.provider.ses;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.DemoStandIn;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    @Override
    public List<String> awsRegionKeys() {
        return List.of("region");
    }

    /** SES v2 SendEmail (REST-JSON): 200 with {@code MessageId}; errors carry {@code x-amzn-ErrorType}. */
    @Override
    public Optional<DemoStandIn<SesConfig>> demoStandIn() {
        return Optional.of(new DemoStandIn<>(
                SesConfig.class,
                "/v2/email/outbound-emails",
                new DemoStandIn.Answer(200, Map.of(), "{\"MessageId\":\"{id}\"}"),
                new DemoStandIn.Answer(
                        500,
                        Map.of("x-amzn-ErrorType", "InternalFailure"),
                        "{\"message\":\"broken on purpose by the local chaos demo\"}"),
                (ses, demo) -> new SesConfig(
                        true,
                        1,
                        demo.timeout(),
                        demo.rateLimit(),
                        demo.ratePeriod(),
                        ses.template(),
                        ses.region(),
                        demo.baseUrl().toString(),
                        demo.from(),
                        "")));
    }
}
