package io.herald.core.provider.ses;

import io.herald.core.provider.ProviderBlock;
import java.time.Duration;

/**
 * Amazon SES v2 SendEmail.
 *
 * @param region AWS region of the SES account
 * @param endpoint endpoint URL; empty means https://email.&lt;region&gt;.amazonaws.com
 * @param from From address for envelopes without a sender (a verified identity)
 * @param configurationSet SES configuration set to send with; empty for none
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
        String configurationSet)
        implements ProviderBlock {
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
                "");
    }
}
