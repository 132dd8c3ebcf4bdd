package io.herald.core.provider.ntfy;

import io.herald.core.config.Secret;
import io.herald.core.provider.ProviderBlock;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/**
 * An ntfy server ({@code POST /<topic>}), self-hosted or ntfy.sh; the receiver's target is the topic.
 *
 * @param serverUrl the server's base URL
 * @param accessToken an access token ({@code tk_...}, sent as a bearer token; secret); empty for none
 * @param username a user for basic authentication, when no access token is set; empty for none
 * @param password that user's password (secret)
 * @param priority the notifications' priority, 1 (min) to 5 (max); 3 is ntfy's default
 * @param tags tags (emoji short codes such as {@code warning}) put on every notification
 */
public record NtfyConfig(
        boolean enabled,
        int weight,
        Duration timeout,
        int rateLimit,
        Duration ratePeriod,
        String template,
        String serverUrl,
        Secret accessToken,
        String username,
        Secret password,

        @Range(min = 1, max = 5, message = "must be between 1 (min) and 5 (max)")
        int priority,

        List<String> tags)
        implements ProviderBlock {

    public NtfyConfig {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static NtfyConfig defaults() {
        // ntfy's default visitor limit: a burst of 60 requests, then one more every 5 seconds.
        return new NtfyConfig(
                false,
                1,
                Duration.ofSeconds(5),
                60,
                Duration.ofMinutes(5),
                "",
                "https://ntfy.sh",
                Secret.none(),
                "",
                Secret.none(),
                3,
                List.of());
    }
}
