package io.herald.core.preferences;

import java.util.List;
import java.util.Objects;

/**
 * What a user wants for one kind of event.
 *
 * @param receivers names of the user's receivers to tell, in their order; empty: not told at all
 * @param digest each on its own, or folded per hour or day
 */
public record EventRule(List<String> receivers, Digest digest) {
    public EventRule {
        receivers = List.copyOf(receivers);
        Objects.requireNonNull(digest, "digest");
    }
}
