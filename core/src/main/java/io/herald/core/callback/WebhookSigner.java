package io.herald.core.callback;

import io.herald.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs callbacks as the Standard Webhooks specification says: {@code webhook-signature: v1,<base64 of HMAC-SHA256 over
 * "id.timestamp.body">}, keyed with the bytes of a {@code whsec_}-prefixed base64 secret. Any receiver that verifies
 * Standard Webhooks (their libraries, Svix's) can check Herald's callbacks without knowing Herald.
 */
public final class WebhookSigner {

    public static final String PREFIX = "whsec_";
    /** The specification recommends 24 to 64 random bytes; shorter keys are refused rather than weakly signed with. */
    public static final int MIN_KEY_BYTES = 24;

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private final SecretKeySpec key;

    private WebhookSigner(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** @throws IllegalArgumentException with {@link #problem}'s words when the secret is not usable */
    public static WebhookSigner of(Secret secret) {
        problem(secret).ifPresent(p -> {
            throw new IllegalArgumentException("callbacks.secret " + p);
        });
        return new WebhookSigner(decode(secret.reveal()));
    }

    /** What is wrong with the secret as a signing key, in words that never repeat it; empty when it is usable. */
    public static Optional<String> problem(Secret secret) {
        if (secret == null || !secret.isSet()) {
            return Optional.of("is not set");
        }
        String value = secret.reveal().strip();
        if (!value.startsWith(PREFIX)) {
            return Optional.of("must be " + PREFIX + " followed by base64 (Standard Webhooks' form), e.g. the output of"
                    + " echo " + PREFIX + "$(head -c 32 /dev/urandom | base64)");
        }
        byte[] key;
        try {
            key = decode(value);
        } catch (IllegalArgumentException e) {
            return Optional.of("is not valid base64 after " + PREFIX);
        }
        if (key.length < MIN_KEY_BYTES) {
            return Optional.of("holds " + key.length + " bytes; use at least " + MIN_KEY_BYTES + " random bytes");
        }
        return Optional.empty();
    }

    private static byte[] decode(String value) {
        return Base64.getDecoder().decode(value.strip().substring(PREFIX.length()));
    }

    /** @return the {@code webhook-signature} header's value for this id, time (unix seconds) and exact body */
    public String sign(String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSigner[key " + Secret.REDACTED + "]";
    }
}
