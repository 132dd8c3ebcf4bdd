package io.herald.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A configuration value that must never be shown: an API key, a bot token, a webhook URL (whose path is the
 * credential). It prints and serialises as a placeholder, so a config dump, a log line or an exception that happens to
 * include a config record cannot leak it; only {@link #reveal()} gives the value, and only the code that sends it to
 * the provider calls that.
 *
 * <p>Deliberately not a record: a record's generated {@code toString} would print the value.
 */
public final class Secret {

    /** What a set secret serialises as, e.g. in {@code ./herald config}'s output. */
    public static final String REDACTED = "(redacted)";

    private static final Secret NONE = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? NONE : new Secret(value);
    }

    public static Secret none() {
        return NONE;
    }

    /** The secret itself, for the one call that must send it. */
    public String reveal() {
        return value;
    }

    public boolean isSet() {
        return !value.isBlank();
    }

    /** Empty when unset (so the defaults stay an empty string), otherwise a placeholder. */
    @JsonValue
    String serialised() {
        return value.isEmpty() ? "" : REDACTED;
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "Secret[unset]" : "Secret[" + REDACTED + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }
}
