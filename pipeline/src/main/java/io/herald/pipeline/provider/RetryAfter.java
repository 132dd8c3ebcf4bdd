package io.herald.pipeline.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the delay a provider asked for, in the many shapes providers use: HTTP's Retry-After (seconds or a date), a
 * Unix time to reset at (SendGrid's X-RateLimit-Reset), seconds with a fraction (Discord), milliseconds (Matrix). Every
 * result is clamped to [0, {@link #MAX}] so a garbled header can neither hammer a provider nor park a message for days.
 */
public final class RetryAfter {

    /** The longest delay honoured; past it the message is retried anyway (and may be told again). */
    public static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {}

    /** Retry-After: delta-seconds (fractions tolerated) or an HTTP-date. */
    public static Optional<Duration> header(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Optional<Duration> seconds = seconds(value.strip());
        if (seconds.isPresent()) {
            return seconds;
        }
        try {
            Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            return Optional.of(clamp(Duration.between(clock.instant(), at)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A number of seconds, possibly with a fraction, e.g. {@code 5} or {@code 0.347}. */
    public static Optional<Duration> seconds(String value) {
        try {
            double s = Double.parseDouble(value.strip());
            if (Double.isNaN(s) || Double.isInfinite(s)) {
                return Optional.empty();
            }
            return Optional.of(clamp(Duration.ofNanos((long) (Math.min(s, MAX.toSeconds()) * 1e9))));
        } catch (NumberFormatException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** A Unix time in seconds at which the limit resets. */
    public static Optional<Duration> epochSeconds(String value, Clock clock) {
        try {
            long at = Long.parseLong(value.strip());
            return Optional.of(clamp(Duration.between(clock.instant(), Instant.ofEpochSecond(at))));
        } catch (NumberFormatException | NullPointerException e) {
            return Optional.empty();
        }
    }

    public static Duration millis(long ms) {
        return clamp(Duration.ofMillis(ms));
    }

    static Duration clamp(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
