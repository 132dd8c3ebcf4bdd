package io.herald.core.provider;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * How a provider's send API answers, so {@code ./herald local --demo} can play it with a stand-in on 127.0.0.1 and run
 * Herald's real client for that provider against it unchanged. The provider's descriptor offers it
 * ({@link ProviderDescriptor#demoStandIn}), so the demo names no provider itself.
 *
 * @param <C> the provider's configuration block
 * @param type the block's record type
 * @param sendPath the one path the stand-in answers a {@code POST} on
 * @param accepted the answer to a send while it works; {@code {id}} in headers and body becomes a fresh message id
 * @param broken the answer while the dashboard has it broken: the provider's own server error
 * @param pointing the block that sends through the stand-in, from the configured one
 */
public record DemoStandIn<C extends ProviderSettings>(
        Class<C> type, String sendPath, Answer accepted, Answer broken, BiFunction<C, Target, C> pointing) {

    public DemoStandIn {
        Objects.requireNonNull(type);
        Objects.requireNonNull(sendPath);
        Objects.requireNonNull(accepted);
        Objects.requireNonNull(broken);
        Objects.requireNonNull(pointing);
    }

    /**
     * One answer of the API.
     *
     * @param status HTTP status
     * @param headers response headers
     * @param body JSON body; empty for none
     */
    public record Answer(int status, Map<String, String> headers, String body) {

        public Answer {
            headers = Map.copyOf(headers);
        }

        /** This answer with {@code {id}} replaced by {@code id}. */
        public Answer forMessage(String id) {
            Map<String, String> filled = new java.util.LinkedHashMap<>();
            headers.forEach((k, v) -> filled.put(k, v.replace("{id}", id)));
            return new Answer(status, filled, body.replace("{id}", id));
        }
    }

    /**
     * What the demo sets on the block besides the stand-in's address: a short timeout (loopback answers in
     * microseconds) and a rate limit far above any demo trickle, so the rate gates never decide what the demo shows.
     *
     * @param baseUrl the stand-in's base URL
     * @param timeout one send's timeout
     * @param rateLimit requests per {@code ratePeriod}
     * @param ratePeriod the rate limit's period
     * @param from the sender address of the demo's messages
     */
    public record Target(URI baseUrl, Duration timeout, int rateLimit, Duration ratePeriod, String from) {}

    /** {@code configured} (this provider's block) pointed at the stand-in, enabled. */
    public ProviderSettings pointedAt(ProviderSettings configured, Target target) {
        return pointing.apply(type.cast(configured), target);
    }
}
