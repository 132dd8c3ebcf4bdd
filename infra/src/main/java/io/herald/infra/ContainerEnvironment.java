package io.herald.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.provider.ProviderSettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the operator's herald.yaml into the {@code HERALD_*} variables of the api and pipeline tasks, so the services
 * on AWS run on the same file that was tested locally. Only keys that differ from Herald's defaults are passed, plus
 * the few that only the deployment knows (region, listening address, SES configuration set). Secrets are never passed
 * here: they come from Secrets Manager.
 */
final class ContainerEnvironment {

    /** The port the api container listens on behind the load balancer. */
    static final int API_PORT = 8080;
    /** The pipeline's admin port: container health check and the metrics sidecar both use it. */
    static final int ADMIN_PORT = 9091;

    /** Sections each service reads; mailprog, telegramBot and local belong to the Slurm host and laptops. */
    private static final List<String> API_SECTIONS =
            List.of("sqs", "api", "receivers", "status", "unsubscribe", "callbacks");

    private static final List<String> PIPELINE_SECTIONS =
            List.of("sqs", "pipeline", "providers", "receivers", "status", "feedback", "unsubscribe", "callbacks");

    /**
     * What the api's magic links need from the Slurm side's section: whom to mail (user@mailDomain, from sender) and
     * whether chats can be linked. Passed only when api.selfService.publicUrl is set.
     */
    private static final List<String> API_SELF_SERVICE_KEYS =
            List.of("mailprog.mailDomain", "mailprog.sender", "mailprog.preferences.enabled");

    /** Keys whose values the stack's queues and table were made with. */
    private static final List<String> STACK_KEYS = List.of(
            "sqs.queues",
            "sqs.deadLetterSuffix",
            "sqs.maxReceiveCount",
            "sqs.visibilityTimeout",
            "pipeline.sendTimeout",
            "status.table");

    private final Map<String, String> changed;
    private final Map<String, String> apiExtra;

    private static <C extends Record & ProviderSettings> boolean writesLocalFiles(
            ProviderDescriptor<C> provider, ProviderSettings block) {
        return provider.localDirectory(provider.cast(block)).isPresent();
    }

    /**
     * @param config the configuration the services run on
     * @param region the deployment's region (a CloudFormation token in a synthesized stack)
     * @param sending keys the stack's email sending resources set (their names), full keys to values; empty when the
     *     stack creates none
     * @throws IllegalArgumentException when the file holds a secret or a setting that cannot work on AWS
     */
    ContainerEnvironment(HeraldConfig config, String region, Map<String, String> sending) {
        this(config, region, sending, false);
    }

    /**
     * @param callbacks whether the stack deploys status callbacks (their queue and secret): then the file's callbacks
     *     settings reach both services; otherwise none do, and the services run without callbacks
     */
    ContainerEnvironment(HeraldConfig config, String region, Map<String, String> sending, boolean callbacks) {
        ObjectNode tree = ConfigLoader.yamlMapper().valueToTree(config);
        ObjectNode defaults = ConfigLoader.yamlMapper().valueToTree(HeraldConfig.defaults());
        Map<String, String> leaves = new TreeMap<>();
        flatten(tree, "", leaves);
        Map<String, String> defaultLeaves = new TreeMap<>();
        flatten(defaults, "", defaultLeaves);

        // Credentials reach the tasks from Secrets Manager, never as plain variables.
        ProviderSecrets.of(config.providers()).forEach(secret -> {
            leaves.remove(secret.key());
            defaultLeaves.remove(secret.key());
        });
        // The link secret reaches the api from Secrets Manager too (HeraldStack generates it).
        leaves.remove(DeploymentConfig.LINK_SECRET_KEY);
        defaultLeaves.remove(DeploymentConfig.LINK_SECRET_KEY);
        leaves.remove(DeploymentConfig.UNSUBSCRIBE_SECRET_KEY);
        defaultLeaves.remove(DeploymentConfig.UNSUBSCRIBE_SECRET_KEY);
        List<String> problems = new ArrayList<>();
        if (!config.sqs().endpoint().isBlank() || !config.status().endpoint().isBlank()) {
            problems.add("sqs.endpoint and status.endpoint must be empty on AWS (the stack's own queues and table)");
        }
        if (config.api().keys().isEmpty() && !config.api().open()) {
            problems.add("api.keys is empty and api.open is false: the api would refuse to start; add keys"
                    + " (their SHA-256 only) or set api.open: true for a deployment anyone may send through");
        }
        if (config.callbacks().enabled()) {
            // DeploymentConfig refuses it in a file; this guards a config built some other way.
            problems.add("callbacks.secret must not be set on AWS: with the infra setting callbacks=true the stack"
                    + " generates it in Secrets Manager");
        }
        // The secret reaches the tasks from Secrets Manager (StatusCallbacks), never as a plain variable.
        leaves.remove(DeploymentConfig.CALLBACKS_SECRET_KEY);
        defaultLeaves.remove(DeploymentConfig.CALLBACKS_SECRET_KEY);
        if (!callbacks) {
            leaves.keySet().removeIf(key -> key.startsWith("callbacks."));
            defaultLeaves.keySet().removeIf(key -> key.startsWith("callbacks."));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }

        Map<String, String> diff = new LinkedHashMap<>();
        leaves.forEach((key, value) -> {
            if (!value.equals(defaultLeaves.get(key))) {
                diff.put(key, value);
            }
        });
        // The names and timeouts the stack built its resources with are always passed, so an image
        // whose defaults differ from this build's still finds the same queues and table.
        for (String key : STACK_KEYS) {
            diff.put(key, leaves.get(key));
        }
        if (callbacks) {
            diff.put("callbacks.queue", leaves.get("callbacks.queue"));
        }
        // What only the deployment knows, or what must hold there whatever the file says.
        diff.put("sqs.region", region);
        diff.put("status.region", region);
        diff.put("api.host", "0.0.0.0");
        diff.put("api.port", Integer.toString(API_PORT));
        diff.put("pipeline.adminHost", "127.0.0.1");
        diff.put("pipeline.adminPort", Integer.toString(ADMIN_PORT));
        for (ProviderDescriptor<?> provider : ProviderRegistry.installed().all()) {
            // A task's disk vanishes with the task: what a provider writes there would be lost.
            if (writesLocalFiles(provider, config.providers().get(provider.name()))) {
                diff.put("providers." + provider.name() + ".enabled", "false");
            }
            provider.awsRegionKeys().forEach(key -> diff.put("providers." + provider.name() + "." + key, region));
        }
        // The pipeline writes unsubscribe links but never sees api.*: it gets the address they point at itself.
        if (!config.unsubscribeBaseUrl().isEmpty()) {
            diff.put("unsubscribe.publicUrl", config.unsubscribeBaseUrl());
        }
        diff.putAll(sending);
        this.changed = Map.copyOf(diff);
        Map<String, String> extra = new TreeMap<>();
        if (config.api().selfService().enabled()) {
            API_SELF_SERVICE_KEYS.forEach(key -> {
                String value = leaves.get(key);
                if (value != null && !value.isBlank()) {
                    extra.put(ConfigLoader.environmentVariable(key), value);
                }
            });
        }
        this.apiExtra = Map.copyOf(extra);
    }

    Map<String, String> api() {
        Map<String, String> env = variables(API_SECTIONS);
        env.putAll(apiExtra);
        return env;
    }

    Map<String, String> pipeline() {
        return variables(PIPELINE_SECTIONS);
    }

    private Map<String, String> variables(List<String> sections) {
        Map<String, String> env = new TreeMap<>();
        changed.forEach((key, value) -> {
            if (sections.contains(key.substring(0, key.indexOf('.')))) {
                env.put(ConfigLoader.environmentVariable(key), value);
            }
        });
        return env;
    }

    /** Leaves as Herald's variables want them: lists comma-separated, durations as written (30s). */
    private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(value, key + ".", out);
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                out.put(key, String.join(",", items));
            } else {
                out.put(key, value.asText());
            }
        }
    }
}
