package io.herald.core.preferences;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of job event a user can choose for, as Slurm's --mail-type names them, plus the mail about a whole job
 * array (sent without ARRAY_TASKS when the array is done), which users tell apart from a single job's END or FAIL.
 */
public enum EventKind {
    BEGIN,
    END,
    FAIL,
    REQUEUE,
    TIME_LIMIT_50,
    TIME_LIMIT_80,
    TIME_LIMIT_90,
    TIME_LIMIT,
    ARRAY_SUMMARY,
    INVALID_DEPEND,
    STAGE_OUT;

    /** Case-insensitive, as users type --mail-type. */
    public static Optional<EventKind> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
