package io.herald.mailprog.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-scheme patterns a target must match whole (anchored: {@code .+@example\.org} does not let
 * {@code x@example.org.evil.com} through). A scheme without patterns accepts every target.
 *
 * <p>Schemes compare case-insensitively ({@code MAILTO:} is {@code mailto:}), and so do the domains
 * of email addresses, which DNS does not distinguish by case: {@code Alice@Example.ORG} is checked
 * as {@code Alice@example.org}, so write domains in lower case in patterns. Local parts stay as
 * written: whether {@code Alice} and {@code alice} are one mailbox is the receiving site's business.
 */
public final class AllowList {

    /** Schemes whose targets are email addresses. */
    private static final Set<String> EMAIL_SCHEMES = Set.of("mailto", "email");

    private final Map<String, List<Pattern>> patterns;

    private AllowList(Map<String, List<Pattern>> patterns) {
        this.patterns = patterns;
    }

    /** @param entries {@code scheme=regex} items, as validated by the configuration */
    public static AllowList of(List<String> entries) {
        Map<String, List<Pattern>> map = new HashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + entry + "' is not scheme=regex");
            }
            map.computeIfAbsent(entry.substring(0, eq).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(Pattern.compile(entry.substring(eq + 1)));
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return new AllowList(Map.copyOf(map));
    }

    public static AllowList allowAll() {
        return new AllowList(Map.of());
    }

    public boolean allows(String scheme, String target) {
        String key = scheme.toLowerCase(Locale.ROOT);
        List<Pattern> forScheme = patterns.get(key);
        if (forScheme == null) {
            return true;
        }
        String checked = EMAIL_SCHEMES.contains(key) ? withLowerCaseDomain(target) : target;
        return forScheme.stream().anyMatch(p -> p.matcher(checked).matches() || p.matcher(target).matches());
    }

    /** The part after the last '@' in lower case; the local part as written. */
    static String withLowerCaseDomain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
