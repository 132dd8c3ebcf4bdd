package io.herald.core.sqs;

import java.util.List;
import java.util.Locale;

/**
 * Which dead-lettered messages an operation applies to; every given part must match.
 *
 * @param channel the envelope's channel, exactly (case-insensitive); null for any
 * @param provider the provider that dead-lettered it, exactly (case-insensitive); null for any
 * @param reason a substring of the reason (case-insensitive); null for any
 */
public record DeadLetterFilter(String channel, String provider, String reason) {

    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null);

    /** The keys {@link #parse} accepts. */
    public static final List<String> KEYS = List.of("channel", "provider", "reason");

    /**
     * Reads {@code key=value} items, e.g. {@code channel=email}, {@code reason=timed out}.
     *
     * @throws IllegalArgumentException naming the item that is not one of {@link #KEYS} with a value
     */
    public static DeadLetterFilter parse(List<String> items) {
        DeadLetterFilter filter = ALL;
        for (String item : items) {
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : item.substring(eq + 1).strip();
            if (eq < 0 || value.isEmpty() || !KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "bad filter '" + item + "': expected channel=NAME, provider=NAME or " + "reason=TEXT");
            }
            filter = switch (key) {
                case "channel" -> new DeadLetterFilter(value, filter.provider, filter.reason);
                case "provider" -> new DeadLetterFilter(filter.channel, value, filter.reason);
                default -> new DeadLetterFilter(filter.channel, filter.provider, value);
            };
        }
        return filter;
    }

    public DeadLetterFilter withChannel(String newChannel) {
        return new DeadLetterFilter(newChannel, provider, reason);
    }

    public boolean matches(DeadLetter message) {
        return (channel == null || channel.equalsIgnoreCase(message.channel()))
                && (provider == null || provider.equalsIgnoreCase(message.provider()))
                && (reason == null
                        || message.reason().toLowerCase(Locale.ROOT).contains(reason.toLowerCase(Locale.ROOT)));
    }
}
