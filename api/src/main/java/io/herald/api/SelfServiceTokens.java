package io.herald.api;

import io.herald.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed strings behind self-service: a magic link's token (names a user, expires, carries a nonce that makes it
 * single-use) and the session the page gets for it (names a user, expires). Both are
 * {@code kind.user.expiry.nonce.signature}, the signature an HMAC-SHA256 with api.selfService.linkSecret over the rest;
 * the kind is signed too, so a link cannot pass for a session nor a session for a link. Stateless apart from the nonce,
 * so any API instance with the same secret accepts them. Neither a token nor the secret is ever logged.
 */
final class SelfServiceTokens {

    /** What a presented token turned out to be. */
    sealed interface Check {
        /** Signed by us, for this kind, not expired. */
        record Valid(String user, String nonce, Instant expiresAt) implements Check {}

        /** Signed by us but past its expiry. */
        record Expired(String user) implements Check {}

        /** Not ours: malformed, cut short, another kind, or a signature that does not match. */
        record Forged() implements Check {}
    }

    static final String LINK = "l";
    static final String SESSION = "s";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]{1,200}");
    private static final int NONCE_BYTES = 18;

    private final SecretKeySpec key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    SelfServiceTokens(Secret secret, Clock clock) {
        if (!secret.isSet()) {
            throw new IllegalArgumentException("self-service tokens need api.selfService.linkSecret");
        }
        this.key = new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    /** A new token of {@code kind} for {@code user}, valid for {@code validity} from now. */
    String issue(String kind, String user, Duration validity) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String unsigned = kind + "." + B64.encodeToString(user.getBytes(StandardCharsets.UTF_8)) + "."
                + clock.instant().plus(validity).getEpochSecond() + "." + B64.encodeToString(nonce);
        return unsigned + "." + B64.encodeToString(sign(unsigned));
    }

    /** Checks the signature first, so nothing of a forged token (its user, its expiry) is believed. */
    Check check(String kind, String token) {
        if (token == null) {
            return new Check.Forged();
        }
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 5 || !parts[0].equals(kind)) {
            return new Check.Forged();
        }
        for (int i = 1; i < parts.length; i++) {
            if (!PART.matcher(parts[i]).matches()) {
                return new Check.Forged();
            }
        }
        String unsigned = String.join(".", parts[0], parts[1], parts[2], parts[3]);
        byte[] presented;
        try {
            presented = B64_DECODE.decode(parts[4]);
        } catch (IllegalArgumentException e) {
            return new Check.Forged();
        }
        // Constant time: how much of a signature matched must not show in how long the answer took.
        if (!MessageDigest.isEqual(sign(unsigned), presented)) {
            return new Check.Forged();
        }
        String user;
        Instant expiresAt;
        try {
            user = new String(B64_DECODE.decode(parts[1]), StandardCharsets.UTF_8);
            expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return new Check.Forged();
        }
        if (!clock.instant().isBefore(expiresAt)) {
            return new Check.Expired(user);
        }
        return new Check.Valid(user, parts[3], expiresAt);
    }

    private byte[] sign(String unsigned) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
