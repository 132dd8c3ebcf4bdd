package io.herald.core.control;

import java.util.Locale;
import java.util.Objects;

/** What a pause switch covers: one whole channel ({@code email}) or one provider ({@code ses}). */
public record PauseScope(Kind kind, String name) {

    public enum Kind {
        CHANNEL,
        PROVIDER;

        /** Lower case, as the CLI, the API and JSON spell it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PauseScope {
        Objects.requireNonNull(kind, "kind");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a pause scope needs a channel or provider name");
        }
    }

    public static PauseScope channel(String name) {
        return new PauseScope(Kind.CHANNEL, name);
    }

    public static PauseScope provider(String name) {
        return new PauseScope(Kind.PROVIDER, name);
    }

    /**
     * The scope as the CLI and the API spell it: {@code channel} or {@code provider}, and a name.
     *
     * @throws IllegalArgumentException naming the kind when it is neither
     */
    public static PauseScope of(String kind, String name) {
        for (Kind k : Kind.values()) {
            if (k.label().equals(kind)) {
                return new PauseScope(k, name);
            }
        }
        throw new IllegalArgumentException("scope '" + kind + "' is neither channel nor provider");
    }

    /** {@code channel email}, as people read it. */
    @Override
    public String toString() {
        return kind.label() + " " + name;
    }
}
