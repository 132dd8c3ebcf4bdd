package io.herald.core.config;

import java.util.List;

/**
 * A configuration Herald refuses to start with. Each problem names the key, the environment variable that overrides it,
 * and what would fix it.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(
                problems.size() == 1
                        ? "invalid configuration: " + problems.getFirst()
                        : "invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
