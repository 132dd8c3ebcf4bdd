package io.herald.core.feedback;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One address Herald will not send email to.
 *
 * @param address the receiver's address, {@linkplain #normalize normalized}
 * @param category the category of mail it stops ({@link #ALL_CATEGORIES} for every category: bounces, complaints and
 *     admin entries; an unsubscribe stops only its own category)
 * @param reason why, in words an admin understands (e.g. {@code hard bounce: 550 5.1.1 user unknown})
 * @param source who added it: a provider's name, {@code unsubscribe}, or {@code admin:<key name>}
 * @param at when it was added
 */
public record Suppression(String address, String category, String reason, String source, Instant at) {

    /** The category of a suppression that stops every email to its address. */
    public static final String ALL_CATEGORIES = "*";

    public Suppression {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        address = normalize(address);
    }

    /**
     * The form addresses are stored and looked up in: trimmed and lower-cased. Lower-casing the local part is not what
     * RFC 5321 promises, but it is what every large mailbox provider does, and suppressing {@code Bob@x} together with
     * {@code bob@x} errs on the side of not mailing someone who asked not to be mailed.
     */
    public static String normalize(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }
}
