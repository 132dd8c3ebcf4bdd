package io.herald.core.receiver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Per-scheme patterns a target must match whole (anchored: {@code .+@example\.org} does not let
 * {@code x@example.org.evil.com} through). Written as {@code scheme=regex} items, the same in
 * {@code mailprog.allowList} and an API key's {@code receivers=}. They differ in one thing: in
 * {@code mailprog.allowList} ({@link #of}) a scheme without patterns accepts every target, as it always has; a key's
 * list ({@link #complete}) is complete, so a scheme it does not name is refused ({@code telegram=.*} allows every
 * chat).
 *
 * <p>Schemes compare case-insensitively ({@code MAILTO:} is {@code mailto:}), and so do the domains of email addresses,
 * which DNS does not distinguish by case: {@code Alice@Example.ORG} is checked as {@code Alice@example.org}, so write
 * domains in lower case in patterns. Local parts stay as written: whether {@code Alice} and {@code alice} are one
 * mailbox is the receiving site's business.
 */
public final class ReceiverAllowList {

    /** Schemes whose targets are email addresses. */
    private static final Set<String> EMAIL_SCHEMES = Set.of("mailto", "email");

    private final Map<String, List<Pattern>> patterns;
    private final boolean complete;

    private ReceiverAllowList(Map<String, List<Pattern>> patterns, boolean complete) {
        this.patterns = patterns;
        this.complete = complete;
    }

    /**
     * @param entries {@code scheme=regex} items, as validated by {@link #problem}
     * @throws IllegalArgumentException for an item {@link #problem} would refuse
     */
    public static ReceiverAllowList of(List<String> entries) {
        return new ReceiverAllowList(compile(entries), false);
    }

    /**
     * A list that names every scheme allowed: no entries allow everything, else a scheme without patterns is refused.
     *
     * @throws IllegalArgumentException for an item {@link #problem} would refuse
     */
    public static ReceiverAllowList complete(List<String> entries) {
        return entries.isEmpty() ? allowAll() : new ReceiverAllowList(compile(entries), true);
    }

    private static Map<String, List<Pattern>> compile(List<String> entries) {
        Map<String, List<Pattern>> map = new HashMap<>();
        for (String entry : entries) {
            problem(entry).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            int eq = entry.indexOf('=');
            map.computeIfAbsent(entry.substring(0, eq).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(Pattern.compile(entry.substring(eq + 1)));
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(map);
    }

    public static ReceiverAllowList allowAll() {
        return new ReceiverAllowList(Map.of(), false);
    }

    /** Whether no scheme is restricted. */
    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    public boolean allows(String scheme, String target) {
        String key = scheme.toLowerCase(Locale.ROOT);
        List<Pattern> forScheme = patterns.get(key);
        if (forScheme == null) {
            return !complete;
        }
        String checked = EMAIL_SCHEMES.contains(key) ? withLowerCaseDomain(target) : target;
        return forScheme.stream()
                .anyMatch(p -> p.matcher(checked).matches() || p.matcher(target).matches());
    }

    /** The part after the last '@' in lower case; the local part as written. */
    static String withLowerCaseDomain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0
                ? address
                : address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * What is wrong with one {@code scheme=regex} item, in words for a configuration diagnostic.
     *
     * @return empty when the scheme is a standard one and the pattern compiles
     */
    public static Optional<String> problem(String entry) {
        int eq = entry.indexOf('=');
        String scheme = eq <= 0 ? "" : entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        if (!ReceiverParser.STANDARD_SCHEMES.containsKey(scheme)) {
            return Optional.of("'" + entry + "' is not scheme=regex with a scheme of "
                    + ReceiverParser.STANDARD_SCHEMES.keySet().stream().sorted().toList()
                    + " (e.g. mailto=.+@example\\.org)");
        }
        try {
            Pattern.compile(entry.substring(eq + 1));
        } catch (PatternSyntaxException e) {
            return Optional.of("'" + entry + "': the pattern is not a regular expression (" + e.getDescription() + ")");
        }
        return Optional.empty();
    }
}
