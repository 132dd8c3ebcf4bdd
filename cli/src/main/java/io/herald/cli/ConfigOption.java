package io.herald.cli;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config} option every service command takes, and where the file comes from. */
final class ConfigOption {

    static final Path DEFAULT_FILE = Path.of("herald.yaml");

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Configuration file (YAML). Default: $HERALD_CONFIG, else ./herald.yaml if it exists, "
                    + "else built-in defaults. Every key can be overridden by its HERALD_* variable.")
    Path file;

    /** The file to read: --config, then HERALD_CONFIG, then ./herald.yaml when present. */
    Optional<Path> resolve(Map<String, String> env) {
        if (file != null) {
            return Optional.of(file);
        }
        String fromEnv = env.get("HERALD_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(Path.of(fromEnv));
        }
        return Files.isRegularFile(DEFAULT_FILE) ? Optional.of(DEFAULT_FILE) : Optional.empty();
    }

    /** Loads the configuration and applies its {@code logging} section (see {@link LogSetup}). */
    HeraldConfig load() {
        Map<String, String> env = System.getenv();
        HeraldConfig config = new ConfigLoader(env).load(resolve(env));
        LogSetup.apply(config.logging());
        return config;
    }
}
