package io.herald.core.provider;

import java.time.Duration;

/**
 * What the block of every provider that calls an outside service has besides {@link ProviderSettings}, so validation
 * and rate limiting treat them alike.
 *
 * <p>Every such block starts with the same keys: {@code enabled}, {@code weight} (share of the channel among healthy
 * providers), {@code timeout} (one send, including waiting for the rate limiter; at most {@code pipeline.sendTimeout}),
 * {@code rateLimit} requests per {@code ratePeriod} (the provider's documented limit by default) and {@code template}
 * (a Pebble template file that replaces the native rendering; empty keeps it). Secrets are
 * {@link io.herald.core.config.Secret}s, so they never print. Every provider is disabled by default and points at its
 * documented public endpoint.
 */
public interface ProviderBlock extends ProviderSettings {

    Duration timeout();

    int rateLimit();

    Duration ratePeriod();

    String template();
}
