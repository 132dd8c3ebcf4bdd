package io.herald.core.control;

import java.time.Instant;

/** One pause switch that is on: since when and who turned it on (an API key's name or "cli"). */
public record Pause(PauseScope scope, Instant since, String by) {
}
