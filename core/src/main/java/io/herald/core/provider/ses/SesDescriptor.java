package io.herald.core.provider.ses;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.DemoStandIn;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
        checkFeedback(config.feedback(), checks);
    }

    /** An SQS queue name; its dead-letter queue adds {@code sqs.deadLetterSuffix}, which the reader's start checks. */
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private static final Pattern SNS_TOPIC_ARN =
            Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");

    private static void checkFeedback(SesConfig.Feedback feedback, BlockChecks checks) {
        try {
            Pattern.compile(feedback.certificateHosts());
        } catch (PatternSyntaxException e) {
            checks.problem("feedback.certificateHosts", "is not a regular expression: " + e.getDescription());
        }
        if (!feedback.enabled()) {
            return;
        }
        if (!QUEUE_NAME.matcher(feedback.queue()).matches()) {
            checks.problem(
                    "feedback.queue",
                    "'" + feedback.queue() + "' is not a valid SQS queue name (1–80 letters, digits, '-' or '_')");
        }
        if (!SNS_TOPIC_ARN.matcher(feedback.topicArn()).matches()) {
            checks.problem(
                    "feedback.topicArn",
                    (feedback.topicArn().isEmpty()
                                    ? "is empty"
                                    : "'" + feedback.topicArn() + "' is not an SNS topic ARN")
                            + " but " + checks.key("feedback.queue") + " is set; name the topic SES publishes to, e.g."
                            + " arn:aws:sns:eu-west-1:123456789012:herald-ses-events");
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
                        "",
                        ses.feedback())));
    }
}
