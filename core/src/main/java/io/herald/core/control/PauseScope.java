package io.herald.core.control;

import java.util.Objects;

/** What a pause switch covers: one whole channel ({@code email}) or one provider ({@code ses}). */
public record PauseScope(Kind kind, String name) {

    public enum Kind { CHANNEL, PROVIDER }

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
}
