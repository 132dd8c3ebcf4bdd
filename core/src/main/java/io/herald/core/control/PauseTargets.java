package io.herald.core.control;

import io.herald.core.provider.ProviderRegistry;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What can be paused: every channel and every provider Herald has, enabled here or not. The API and the CLI may run
 * with a configuration that enables fewer providers than the pipelines do, so only names Herald does not know at all
 * are refused.
 */
public final class PauseTargets {

    private PauseTargets() {}

    /** @return why the scope names nothing Herald knows, or empty when it is fine */
    public static Optional<String> problem(PauseScope scope) {
        TreeSet<String> known = new TreeSet<>(
                scope.kind() == PauseScope.Kind.CHANNEL
                        ? ProviderRegistry.installed().channels()
                        : ProviderRegistry.installed().names());
        if (known.contains(scope.name())) {
            return Optional.empty();
        }
        return Optional.of("unknown " + scope.kind().label() + " '" + printable(scope.name()) + "'; the "
                + scope.kind().label() + "s are " + String.join(", ", known));
    }

    private static String printable(String name) {
        String shown = name.codePoints()
                .filter(c -> c >= 0x20 && c != 0x7F)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
    }
}
