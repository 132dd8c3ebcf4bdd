package io.herald.api;

import io.herald.core.config.ApiKeyEntry;
import io.herald.core.config.ConfigException;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Who may use the API: holders of the configured keys, each within its rate limit, or anyone at all when the API runs
 * open. Tokens are compared by their SHA-256 only; the token itself is neither stored nor logged.
 */
public final class ApiAccess {

    /** How a request fared at the door. */
    sealed interface Admission {
        record Admitted(Caller caller) implements Admission {}

        /** No key, or not one of ours: 401. */
        record Unauthenticated(String reason) implements Admission {}
    }

    private static final String BEARER = "bearer ";

    private final boolean open;
    private final Map<String, Caller> byHash;
    private final Map<String, TokenBucket> buckets;
    private final Map<String, TokenBucket> messageBuckets;

    private ApiAccess(boolean open, List<ApiKeyEntry> keys, LongSupplier nanoTime) {
        this.open = open;
        Map<String, Caller> hashes = new HashMap<>();
        Map<String, TokenBucket> limits = new HashMap<>();
        Map<String, TokenBucket> messageLimits = new HashMap<>();
        for (ApiKeyEntry key : keys) {
            hashes.put(key.sha256(), Caller.of(key));
            limits.put(key.name(), new TokenBucket(key.rateCount(), key.ratePer(), nanoTime));
            messageLimits.put(key.name(), new TokenBucket(key.messageCount(), key.messagePer(), nanoTime));
        }
        this.byHash = Map.copyOf(hashes);
        this.buckets = Map.copyOf(limits);
        this.messageBuckets = Map.copyOf(messageLimits);
    }

    /** Anyone may send, as anyone, without limit: for local mode and trusted networks only. */
    public static ApiAccess open() {
        return new ApiAccess(true, List.of(), System::nanoTime);
    }

    /** Only holders of these keys, each within its rate limit. */
    public static ApiAccess keys(List<ApiKeyEntry> keys) {
        return keys(keys, System::nanoTime);
    }

    static ApiAccess keys(List<ApiKeyEntry> keys, LongSupplier nanoTime) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no keys: use ApiAccess.open() for an API without keys");
        }
        return new ApiAccess(false, keys, nanoTime);
    }

    /**
     * The access the configuration asks for. Without keys the API runs open only where that was chosen: always in local
     * mode, elsewhere only with {@code api.open: true}.
     *
     * @param localMode whether this is {@code ./herald local}, which may run open
     * @throws ConfigException when there are no keys and running open was not chosen
     */
    public static ApiAccess fromConfig(HeraldConfig.Api config, boolean localMode) {
        List<ApiKeyEntry> keys = config.keys().stream()
                .map(ApiKeyEntry::parse)
                .map(parsed -> switch (parsed) {
                    case ApiKeyEntry.Parsed.Valid valid -> valid.entry();
                    // The loader validated every entry; reaching this means a config built by hand.
                    case ApiKeyEntry.Parsed.Invalid invalid ->
                        throw new ConfigException(List.of("api.keys (" + ConfigLoader.environmentVariable("api.keys")
                                + "): " + invalid.problem()));
                })
                .toList();
        if (!keys.isEmpty()) {
            return keys(keys);
        }
        if (localMode || config.open()) {
            return open();
        }
        throw new ConfigException(List.of("api.keys (" + ConfigLoader.environmentVariable("api.keys")
                + "): no API keys configured, so anyone reaching " + config.host() + ":" + config.port()
                + " could send as anyone; add a key (see herald.example.yaml) or set api.open ("
                + ConfigLoader.environmentVariable("api.open") + ") to true to run without keys on purpose"));
    }

    public boolean isOpen() {
        return open;
    }

    /** The names of the configured keys, for the start banner. */
    public List<String> keyNames() {
        return byHash.values().stream().map(Caller::name).sorted().toList();
    }

    /** @param authorization the request's Authorization header, or null */
    Admission admit(String authorization) {
        if (open) {
            return new Admission.Admitted(Caller.ANONYMOUS);
        }
        if (authorization == null || authorization.isBlank()) {
            return new Admission.Unauthenticated("Missing API key: send it as Authorization: Bearer <key>");
        }
        if (authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new Admission.Unauthenticated("Authorization must be Bearer <key>");
        }
        // Looking up the hash, not the token, means no comparison on the secret itself can leak timing.
        Caller caller = byHash.get(
                ApiKeyEntry.hash(authorization.substring(BEARER.length()).strip()));
        if (caller == null) {
            return new Admission.Unauthenticated("Invalid API key");
        }
        return new Admission.Admitted(caller);
    }

    /** @return empty when the caller may send now (the request is counted), else when it may again */
    Optional<Duration> throttle(Caller caller) {
        TokenBucket bucket = buckets.get(caller.name());
        return bucket == null ? Optional.empty() : bucket.take();
    }

    /**
     * Charges {@code messages} to the caller's {@code messages=} limit, all or nothing: the rate limit counts what
     * reaches people, not requests, so fifty receivers cost fifty.
     *
     * @param messages at most {@link Caller#messageBurst()}
     * @return empty when charged, else when that many messages will be allowed
     */
    Optional<Duration> chargeMessages(Caller caller, int messages) {
        TokenBucket bucket = messageBuckets.get(caller.name());
        return bucket == null ? Optional.empty() : bucket.take(messages);
    }

    /** Refunds messages charged but not queued (SQS refused them), so a retry is not throttled for them. */
    void refundMessages(Caller caller, int messages) {
        TokenBucket bucket = messageBuckets.get(caller.name());
        if (bucket != null && messages > 0) {
            bucket.giveBack(messages);
        }
    }
}
