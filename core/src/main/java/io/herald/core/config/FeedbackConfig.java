package io.herald.core.config;

import jakarta.validation.Valid;

/**
 * Where providers report what happened to an email after they accepted it (bounces, complaints, deliveries).
 *
 * @param ses SES's events of a configuration set, published to SNS and delivered to an SQS queue
 */
public record FeedbackConfig(@Valid Ses ses) {

    public FeedbackConfig {
        ses = ses == null ? Ses.defaults() : ses;
    }

    public static FeedbackConfig defaults() {
        return new FeedbackConfig(Ses.defaults());
    }

    /**
     * @param queue the SQS queue (in {@code sqs.endpoint}/{@code sqs.region}) the SNS topic delivers to, not raw: each
     *     body is the SNS envelope; its dead-letter queue is queue + {@code sqs.deadLetterSuffix}; empty: not read
     * @param topicArn the SNS topic SES publishes to; a message from any other topic is dead-lettered
     * @param certificateHosts the hosts (a regular expression over the whole host name) SNS signing certificates may be
     *     fetched from, over https only; change it only for tests
     */
    public record Ses(String queue, String topicArn, String certificateHosts) {

        /** SNS's own hosts: {@code sns.<region>.amazonaws.com}, and {@code .com.cn} in China. */
        public static final String SNS_HOSTS = "sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?";

        public Ses {
            queue = queue == null ? "" : queue.strip();
            topicArn = topicArn == null ? "" : topicArn.strip();
            certificateHosts = certificateHosts == null || certificateHosts.isBlank() ? SNS_HOSTS : certificateHosts;
        }

        public static Ses defaults() {
            return new Ses("", "", SNS_HOSTS);
        }

        public boolean enabled() {
            return !queue.isEmpty();
        }
    }
}
