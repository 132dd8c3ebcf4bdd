package io.herald.core.receiver;

import io.herald.core.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Parses the receiver syntax Slurm users know from goslmailer:
 * {@code mailto:a@b.org,msteams:bob,telegram:123456,carol}.
 *
 * <p>Items are split on {@code ,}, then on the first {@code :} only, so Matrix rooms keep their colons. A bare item
 * goes to the default scheme. Every item that cannot be delivered to is reported with its position and reason and the
 * rest are still returned: one typo must not cost a user all their notifications. User text never makes this throw.
 */
public final class ReceiverParser {

    /** How one scheme is handled: the channel it selects and the rule its targets must meet. */
    public record Scheme(String channel, TargetRule rule) {
        public Scheme {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(rule, "rule");
        }
    }

    /** The schemes of the installed providers ({@link ProviderRegistry}), keyed by the word users write before ':'. */
    public static final Map<String, Scheme> STANDARD_SCHEMES =
            Map.copyOf(ProviderRegistry.installed().schemes());

    private final Map<String, Scheme> schemes;
    private final String defaultScheme;

    /**
     * @param schemes the schemes accepted, keyed by the lower-case word before ':'
     * @param defaultScheme the scheme for bare items; must be one of {@code schemes}
     */
    public ReceiverParser(Map<String, Scheme> schemes, String defaultScheme) {
        this.schemes = Map.copyOf(schemes);
        if (!this.schemes.containsKey(defaultScheme)) {
            throw new IllegalArgumentException(
                    "default scheme '" + defaultScheme + "' is not one of " + this.schemes.keySet());
        }
        this.defaultScheme = defaultScheme;
    }

    /** The schemes accepted, keyed by the word before ':'. */
    public Map<String, Scheme> schemes() {
        return schemes;
    }

    /** The scheme of an item written without one. */
    public String defaultScheme() {
        return defaultScheme;
    }

    public static ReceiverParser standard(String defaultScheme) {
        return new ReceiverParser(STANDARD_SCHEMES, defaultScheme);
    }

    public ParsedReceivers parse(String text) {
        List<Receiver> receivers = new ArrayList<>();
        List<ReceiverProblem> problems = new ArrayList<>();
        if (text == null || text.isBlank()) {
            problems.add(new ReceiverProblem(1, text == null ? "" : text, "no receiver given"));
            return new ParsedReceivers(receivers, problems);
        }
        String[] items = text.split(",", -1);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.length; i++) {
            switch (parseItem(items[i].strip())) {
                case Accepted(Receiver receiver) -> {
                    if (seen.add(identity(receiver))) {
                        receivers.add(receiver);
                    }
                }
                case Refused(String reason) -> problems.add(new ReceiverProblem(i + 1, items[i], reason));
            }
        }
        return new ParsedReceivers(receivers, problems);
    }

    /**
     * How many items {@link #parse} would read from {@code text}, counted without splitting it, so a caller can refuse
     * an oversized list before it costs a string per item.
     */
    public static int itemCount(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        int items = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ',') {
                items++;
            }
        }
        return items;
    }

    /**
     * What makes two receivers the same place. Email addresses compare without case, the local part included: every
     * provider Herald sends through, and practically every mailbox, treats {@code Victim@x.org} and
     * {@code victim@X.org} as one inbox, so listing both must not mail it twice.
     */
    private static String identity(Receiver receiver) {
        String target =
                "email".equals(receiver.channel()) ? receiver.target().toLowerCase(Locale.ROOT) : receiver.target();
        return receiver.channel() + "\u0000" + target;
    }

    /** A target quoted in a refusal: whole when short, else its start, so a refusal is never bigger than a line. */
    static final int MAX_QUOTED_TARGET_CHARS = 64;

    private static String quote(String target) {
        return target.length() <= MAX_QUOTED_TARGET_CHARS
                ? target
                : target.substring(0, MAX_QUOTED_TARGET_CHARS) + "... (" + target.length() + " characters)";
    }

    private sealed interface ItemResult permits Accepted, Refused {}

    private record Accepted(Receiver receiver) implements ItemResult {}

    private record Refused(String reason) implements ItemResult {}

    private ItemResult parseItem(String item) {
        if (item.isEmpty()) {
            return new Refused("empty item");
        }
        int colon = item.indexOf(':');
        String scheme =
                colon < 0 ? defaultScheme : item.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String target = colon < 0 ? item : item.substring(colon + 1).strip();
        if (scheme.isEmpty()) {
            return new Refused("no scheme before ':'");
        }
        Scheme known = schemes.get(scheme);
        if (known == null) {
            return new Refused("unknown scheme '" + quote(scheme) + "' (known: "
                    + String.join(", ", schemes.keySet().stream().sorted().toList()) + ")");
        }
        if (target.isEmpty() || target.chars().allMatch(c -> c == ':')) {
            return new Refused("no target after '" + scheme + ":'");
        }
        return known.rule()
                .check(target)
                .<ItemResult>map(
                        problem -> new Refused(scheme + " target '" + quote(target) + "' " + asClause(problem)))
                .orElseGet(() -> new Accepted(new Receiver(scheme, known.channel(), target)));
    }

    private static String asClause(String problem) {
        return problem.startsWith("not ") ? "is " + problem : problem;
    }
}
