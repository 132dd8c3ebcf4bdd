package io.herald.core.control;

import java.time.Instant;
import java.util.Optional;

/**
 * One pause switch that is on: since when, who turned it on (an API key's name or "cli"), and why.
 *
 * @param reason what the operator said about it (e.g. "SES sandbox limit, ticket 4711"); empty when nothing
 */
public record Pause(PauseScope scope, Instant since, String by, String reason) {

    /** The longest reason kept: it is shown on the dashboard and logged, not a place for a report. */
    public static final int MAX_REASON_CHARS = 300;

    public Pause {
        reason = reason == null ? "" : reason;
    }

    /**
     * What is wrong with a reason an operator gave (the API and the CLI refuse it alike), or empty when it can be kept;
     * {@code reason} is taken as given, strip it first.
     */
    public static Optional<String> reasonProblem(String reason) {
        if (reason.length() > MAX_REASON_CHARS) {
            return Optional.of("must be at most " + MAX_REASON_CHARS + " characters (it has " + reason.length()
                    + "); say more in your ticket and link it");
        }
        if (reason.chars().anyMatch(Character::isISOControl)) {
            // It is logged and shown: a line break would forge a log line.
            return Optional.of("must be one line without control characters");
        }
        return Optional.empty();
    }
}
