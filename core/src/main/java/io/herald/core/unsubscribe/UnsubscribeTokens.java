package io.herald.core.unsubscribe;

import io.herald.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token in an unsubscribe link: {@code u1.<address>.<category>.<signature>}, each part base64url without padding,
 * the signature an HMAC-SHA256 with {@code unsubscribe.secret} over everything before it. {@code u1} is the format's
 * version and is signed too, so a later format cannot be passed off as this one. It never expires: RFC 8058 links in
 * mail read months later must still work, and all a token can do is stop mail to its own address. Stateless: the
 * pipeline that writes the link and any API instance that reads it only share the secret. Neither the secret nor a
 * token is ever logged. (The self-service tokens in the API are signed the same way but expire and are single-use, and
 * live where the pipeline cannot reach them.)
 */
public final class UnsubscribeTokens {

    /** The address and category a valid token stops mail for. */
    public record Unsubscription(String address, String category) {}

    static final String VERSION = "u1";
    /** 32 characters of base64 are 192 bits: beyond guessing, for an HMAC-SHA256 key. */
    public static final int MIN_SECRET_CHARS = 32;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    /** An address is at most 254 characters (RFC 5321), 340 in base64; a category 64. */
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]{1,400}");
    /** Longer than any token this class writes: a longer one is refused before anything is decoded. */
    public static final int MAX_TOKEN_CHARS = 1024;

    private final SecretKeySpec key;

    /**
     * @throws IllegalArgumentException when the secret is unset or shorter than {@value #MIN_SECRET_CHARS} characters
     */
    public UnsubscribeTokens(Secret secret) {
        if (secret == null || secret.reveal().length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException(
                    "unsubscribe links need unsubscribe.secret of at least " + MIN_SECRET_CHARS + " characters");
        }
        this.key = new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The token for mail of {@code category} to {@code address} (stored normalized, as suppressions are). */
    public String issue(String address, String category) {
        String unsigned =
                VERSION + "." + encode(io.herald.core.feedback.Suppression.normalize(address)) + "." + encode(category);
        return unsigned + "." + B64.encodeToString(sign(unsigned));
    }

    /**
     * What {@code token} stops, when this secret signed it; empty for anything else (malformed, cut short, changed,
     * another version, another key). The signature is checked before anything else of the token is believed.
     */
    public Optional<Unsubscription> check(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        for (int i = 1; i < parts.length; i++) {
            if (!PART.matcher(parts[i]).matches()) {
                return Optional.empty();
            }
        }
        byte[] presented;
        String address;
        String category;
        try {
            presented = B64_DECODE.decode(parts[3]);
            // Constant time: how much of a signature matched must not show in how long the answer took.
            if (!MessageDigest.isEqual(sign(parts[0] + "." + parts[1] + "." + parts[2]), presented)) {
                return Optional.empty();
            }
            address = new String(B64_DECODE.decode(parts[1]), StandardCharsets.UTF_8);
            category = new String(B64_DECODE.decode(parts[2]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new Unsubscription(address, category));
    }

    private static String encode(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
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

    @Override
    public String toString() {
        return "UnsubscribeTokens[key redacted]";
    }
}
