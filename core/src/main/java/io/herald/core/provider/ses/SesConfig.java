package io.herald.core.provider.ses;

import io.herald.core.provider.ProviderBlock;
import jakarta.validation.Valid;
import java.time.Duration;

/**
 * Amazon SES v2 SendEmail.
 *
 * @param region AWS region of the SES account
 * @param endpoint endpoint URL; empty means https://email.&lt;region&gt;.amazonaws.com
 * @param from From address for envelopes without a sender (a verified identity)
 * @param configurationSet SES configuration set to send with; empty for none
 * @param feedback the configuration set's events (bounces, complaints...), published to SNS and delivered to an SQS
 *     queue the pipeline reads; independent of {@code enabled}
 */
public record SesConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        String region,
        String endpoint,
        String from,
        String configurationSet,
        @Valid Feedback feedback)
        implements ProviderBlock {

    public SesConfig {
        feedback = feedback == null ? Feedback.defaults() : feedback;
    }

    public static SesConfig defaults() {
        // 1 message/s is a new (sandboxed) account's sending rate; raise it to the account's quota.
        return new SesConfig(
                false,
                1,
                Duration.ofSeconds(5),
                1,
                Duration.ofSeconds(1),
                "",
                "us-east-1",
                "",
                "herald@example.org",
                "",
                Feedback.defaults());
    }

    /**
     * @param queue the SQS queue (in {@code sqs.endpoint}/{@code sqs.region}) the SNS topic delivers to, not raw: each
     *     body is the SNS envelope; its dead-letter queue is queue + {@code sqs.deadLetterSuffix}; empty: not read
     * @param topicArn the SNS topic SES publishes to; a message from any other topic is dead-lettered
     * @param certificateHosts the hosts (a regular expression over the whole host name) SNS signing certificates may be
     *     fetched from, over https only; change it only for tests
     */
    public record Feedback(String queue, String topicArn, String certificateHosts) {

        /** SNS's own hosts: {@code sns.<region>.amazonaws.com}, and {@code .com.cn} in China. */
        public static final String SNS_HOSTS = "sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?";

        public Feedback {
            queue = queue == null ? "" : queue.strip();
            topicArn = topicArn == null ? "" : topicArn.strip();
            certificateHosts = certificateHosts == null || certificateHosts.isBlank() ? SNS_HOSTS : certificateHosts;
        }

        public static Feedback defaults() {
            return new Feedback("", "", SNS_HOSTS);
        }

        public boolean enabled() {
            return !queue.isEmpty();
        }
    }
}
