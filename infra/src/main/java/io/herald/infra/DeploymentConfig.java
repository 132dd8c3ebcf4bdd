package io.herald.infra;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the herald.yaml a deployment runs on, checked by Herald's own loader and validator.
 *
 * <p>Provider credentials are not known at synthesis, and must not be: on AWS they come from Secrets Manager when a
 * task starts. So every credential variable gets a placeholder here (an enabled provider without one would not
 * validate), and a credential written into the file is refused, because the file's values end up in the task definition
 * in plain text.
 */
final class DeploymentConfig {

    /** Valid as a token and as a webhook URL; never sent anywhere. */
    static final String PLACEHOLDER = "https://secrets-manager.invalid/placeholder";

    private DeploymentConfig() {}

    /** The key that signs magic links: the stack generates it in Secrets Manager for the api (never in the file). */
    static final String LINK_SECRET_KEY = "api.selfService.linkSecret";

    static HeraldConfig load(Optional<Path> file) {
        List<ProviderSecrets.Entry> secrets =
                ProviderSecrets.of(HeraldConfig.defaults().providers());
        file.ifPresent(path -> refuseSecretsIn(path, secrets));
        Map<String, String> environment = new LinkedHashMap<>();
        // Only the credential variables: the synthesizing machine's own HERALD_* settings must not
        // leak into a deployment.
        secrets.forEach(s -> environment.put(s.variable(), PLACEHOLDER));
        environment.put(ConfigLoader.environmentVariable(LINK_SECRET_KEY), PLACEHOLDER);
        return new ConfigLoader(environment).load(file);
    }

    private static void refuseSecretsIn(Path file, List<ProviderSecrets.Entry> secrets) {
        JsonNode root;
        try {
            root = ConfigLoader.yamlMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            // Herald's loader reports a missing or malformed file with its own words.
            if (Files.isReadable(file)) {
                throw new UncheckedIOException(file + ": cannot be read", e);
            }
            return;
        }
        List<String> found = new ArrayList<>();
        for (ProviderSecrets.Entry entry : secrets) {
            if (isSetIn(root, "/providers/" + entry.provider() + "/" + entry.field())) {
                found.add(entry.key());
            }
        }
        if (isSetIn(root, "/" + LINK_SECRET_KEY.replace('.', '/'))) {
            found.add(LINK_SECRET_KEY);
        }
        if (!found.isEmpty()) {
            throw new IllegalArgumentException(
                    file + ": " + String.join(", ", found) + " must not be in the file on AWS:"
                            + " it would be written into the task definition in plain text; put it in "
                            + "its Secrets Manager secret"
                            + " (docs/deploy.md) and leave the key out");
        }
    }

    private static boolean isSetIn(JsonNode root, String pointer) {
        JsonNode value = root == null ? null : root.at(pointer);
        return value != null
                && !value.isMissingNode()
                && !value.isNull()
                && !value.asText().isBlank();
    }
}
