package io.herald.core.preferences;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Set;

/**
 * A daily span in the user's own time zone when notifications wait, except the kinds that break through (a failed job,
 * typically). A span whose end is before its start runs over midnight.
 *
 * @param from when the quiet begins, local time
 * @param to when it ends, local time (exclusive)
 * @param zone the user's time zone: daylight saving moves the span with the clock on the wall
 * @param breakThrough kinds delivered at once even in quiet hours
 */
public record QuietHours(LocalTime from, LocalTime to, ZoneId zone, Set<EventKind> breakThrough) {

    public QuietHours {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        if (from.equals(to)) {
            throw new IllegalArgumentException("quiet hours must not start and end at the same time");
        }
        breakThrough = Set.copyOf(breakThrough);
    }

    /** Whether {@code at} falls inside the quiet span. */
    public boolean covers(Instant at) {
        LocalTime local = at.atZone(zone).toLocalTime();
        return from.isBefore(to)
                ? !local.isBefore(from) && local.isBefore(to)
                : !local.isBefore(from) || local.isBefore(to);
    }

    /** Whether an event of this kind waits at {@code at}. */
    public boolean holds(EventKind kind, Instant at) {
        return covers(at) && !breakThrough.contains(kind);
    }

    /** The first end of the quiet span after {@code at} (when what waited goes out). */
    public Instant endAfter(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        ZonedDateTime end = local.with(to);
        if (!end.isAfter(local)) {
            end = local.plusDays(1).with(to);
        }
        return end.toInstant();
    }
}
