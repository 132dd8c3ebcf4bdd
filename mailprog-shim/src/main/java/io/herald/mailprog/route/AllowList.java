package io.herald.mailprog.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Per-scheme patterns a target must match whole (anchored: {@code .+@example\.org} does not let
 * {@code x@example.org.evil.com} through). A scheme without patterns accepts every target.
 */
public final class AllowList {

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
            map.computeIfAbsent(entry.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(Pattern.compile(entry.substring(eq + 1)));
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return new AllowList(Map.copyOf(map));
    }

    public static AllowList allowAll() {
        return new AllowList(Map.of());
    }

    public boolean allows(String scheme, String target) {
        List<Pattern> forScheme = patterns.get(scheme);
        return forScheme == null || forScheme.stream().anyMatch(p -> p.matcher(target).matches());
    }
}
