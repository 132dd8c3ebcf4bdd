package io.herald.core.preferences;

import java.util.Locale;
import java.util.Optional;

/** How often notifications of one kind reach the user: each on its own, or folded per hour or day. */
public enum Digest {
    IMMEDIATE,
    HOURLY,
    DAILY;

    /** As written in preferences: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Digest> parse(String text) {
        for (Digest d : values()) {
            if (d.label().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
