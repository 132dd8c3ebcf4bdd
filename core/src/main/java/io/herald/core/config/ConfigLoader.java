package io.herald.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds a {@link HeraldConfig} from three layers, later ones winning: the built-in defaults, an optional YAML file,
 * and {@code HERALD_*} environment variables.
 *
 * <p>Every key has exactly one environment variable: {@code HERALD_} followed by its path in upper snake case, so
 * {@code api.maxBodyBytes} is {@code HERALD_API_MAX_BODY_BYTES}; list values are comma-separated. Unknown keys in the
 * file and unknown {@code HERALD_*} variables are errors, not silently ignored: a typo must not quietly run Herald on a
 * default.
 */
public final class ConfigLoader {

    /** Variables read by the launcher, not settings. */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("HERALD_CONFIG", "HERALD_JAVA_OPTS");

    private static final String PREFIX = "HERALD_";
    private static final Pattern REJECTED_STRING =
            Pattern.compile("Cannot deserialize value of type `[^`]*` from String \"(.*?)\": (.*)", Pattern.DOTALL);

    private final Map<String, String> environment;
    private final YAMLMapper yaml;

    /** @param environment the process environment (passed in so tests need not change the real one) */
    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.yaml = yamlMapper();
    }

    /** The YAML mapper configuration is read and written with (durations as {@code 30s}). */
    public static YAMLMapper yamlMapper() {
        return YAMLMapper.builder()
                .addModule(Durations.jacksonModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /**
     * The environment variable that overrides a key, e.g. {@code sqs.maxReceiveCount} →
     * {@code HERALD_SQS_MAX_RECEIVE_COUNT}.
     */
    public static String environmentVariable(String key) {
        return PREFIX
                + Arrays.stream(key.split("\\."))
                        .map(segment ->
                                segment.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT))
                        .collect(Collectors.joining("_"));
    }

    /** Every configuration key, in document order, e.g. {@code sqs.region}. */
    public List<String> keys() {
        return new ArrayList<>(leaves(defaultsTree()).keySet());
    }

    /**
     * @param file a YAML file, or empty to use defaults and environment only
     * @throws ConfigException naming every problem found
     */
    public HeraldConfig load(Optional<Path> file) {
        List<String> problems = new ArrayList<>();
        ObjectNode tree = defaultsTree();
        file.ifPresent(path -> readFile(path, problems)
                .ifPresent(text -> parse(text, path.toString(), problems)
                        .ifPresent(fromFile -> merge(tree, fromFile, "", path.toString(), problems))));
        return bind(tree, problems);
    }

    /**
     * As {@link #load} with {@code text} in place of a file: the defaults, then the YAML, then the environment, checked
     * the same way. Tests build configurations from a few lines of YAML with it instead of positional constructors.
     *
     * @throws ConfigException naming every problem found
     */
    public HeraldConfig loadYaml(String text) {
        List<String> problems = new ArrayList<>();
        ObjectNode tree = defaultsTree();
        parse(text, "YAML text", problems).ifPresent(node -> merge(tree, node, "", "YAML text", problems));
        return bind(tree, problems);
    }

    private HeraldConfig bind(ObjectNode tree, List<String> problems) {
        applyEnvironment(tree, problems);
        // Unknown keys never reach the tree, so what is known can still be bound and checked:
        // the user hears about every problem at once, not one per attempt.
        HeraldConfig config = null;
        try {
            config = yaml.treeToValue(tree, HeraldConfig.class);
        } catch (JsonProcessingException e) {
            problems.add(bindingProblem(e));
        }
        if (config != null) {
            problems.addAll(ConfigValidator.problems(config));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private ObjectNode defaultsTree() {
        return yaml.valueToTree(HeraldConfig.defaults());
    }

    private static Optional<String> readFile(Path path, List<String> problems) {
        try {
            return Optional.of(Files.readString(path));
        } catch (NoSuchFileException e) {
            problems.add(path + ": file not found (set HERALD_CONFIG or --config to an existing file)");
        } catch (IOException e) {
            problems.add(path + ": cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** @param origin what the text came from, for messages: the file's path */
    private Optional<JsonNode> parse(String text, String origin, List<String> problems) {
        try {
            JsonNode node = yaml.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isObject()) {
                problems.add(origin + ": the top level must be a mapping of sections (sqs:, api:, ...)");
                return Optional.empty();
            }
            return Optional.of(node);
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            problems.add(origin + ": not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        return Optional.empty();
    }

    /** Copies the file's values over the defaults, reporting keys that do not exist. */
    private static void merge(ObjectNode target, JsonNode source, String prefix, String file, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = prefix + field.getKey();
            JsonNode known = target.get(field.getKey());
            if (known == null) {
                problems.add(file + ": unknown key '" + key + "'" + suggestion(target, prefix, field.getKey()));
            } else if (known.isObject()) {
                if (field.getValue().isObject()) {
                    merge((ObjectNode) known, field.getValue(), key + ".", file, problems);
                } else if (!field.getValue().isNull()) {
                    problems.add(file + ": '" + key + "' must be a mapping with keys " + fieldNames(known));
                }
            } else if (known.isArray()
                    && !field.getValue().isArray()
                    && !field.getValue().isNull()) {
                target.set(field.getKey(), JsonNodeFactory.instance.arrayNode().add(field.getValue()));
            } else if (!field.getValue().isNull()) {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private void applyEnvironment(ObjectNode tree, List<String> problems) {
        Map<String, String> variableToKey = new LinkedHashMap<>();
        leaves(tree).keySet().forEach(key -> variableToKey.put(environmentVariable(key), key));
        new TreeSet<>(environment.keySet()).forEach(variable -> {
            if (!variable.startsWith(PREFIX) || LAUNCHER_VARIABLES.contains(variable)) {
                return;
            }
            String key = variableToKey.get(variable);
            if (key == null) {
                problems.add("environment variable " + variable + " is not a Herald setting"
                        + closest(variable, variableToKey.keySet())
                                .map(v -> " (did you mean " + v + "?)")
                                .orElse(""));
                return;
            }
            set(tree, key, environment.get(variable));
        });
    }

    private static void set(ObjectNode tree, String key, String value) {
        String[] path = key.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < path.length - 1; i++) {
            parent = (ObjectNode) parent.get(path[i]);
        }
        String leaf = path[path.length - 1];
        if (parent.get(leaf).isArray()) {
            ArrayNode list = parent.putArray(leaf);
            Arrays.stream(value.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(list::add);
        } else {
            parent.set(leaf, TextNode.valueOf(value));
        }
    }

    private static Map<String, JsonNode> leaves(JsonNode tree) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        collectLeaves(tree, "", out);
        return out;
    }

    private static void collectLeaves(JsonNode node, String prefix, Map<String, JsonNode> out) {
        node.fields().forEachRemaining(field -> {
            if (field.getValue().isObject()) {
                collectLeaves(field.getValue(), prefix + field.getKey() + ".", out);
            } else {
                out.put(prefix + field.getKey(), field.getValue());
            }
        });
    }

    private static String bindingProblem(JsonProcessingException e) {
        String key = e instanceof JsonMappingException jme
                ? jme.getPath().stream()
                        .map(JsonMappingException.Reference::getFieldName)
                        .filter(name -> name != null)
                        .collect(Collectors.joining("."))
                : "";
        String reason = e.getOriginalMessage();
        // Jackson's messages name Java types; readers need the value they wrote and why it is wrong.
        // The reason itself may contain ": " (the Duration one does), so split after the quoted value.
        Matcher valueAndWhy = REJECTED_STRING.matcher(reason);
        if (valueAndWhy.matches()) {
            reason = "wrong type of value '" + valueAndWhy.group(1) + "': " + valueAndWhy.group(2);
        } else if (reason.contains("Cannot deserialize value of type")) {
            int colon = reason.lastIndexOf(": ");
            reason = "wrong type of value" + (colon > 0 ? ": " + reason.substring(colon + 2) : "");
        }
        return key.isEmpty() ? reason : key + " (" + environmentVariable(key) + "): " + reason;
    }

    private static String suggestion(JsonNode parent, String prefix, String unknown) {
        List<String> names = fieldNames(parent);
        return closest(unknown, names)
                .map(s -> " (did you mean '" + prefix + s + "'?)")
                .orElse(" (known keys"
                        + (prefix.isEmpty() ? "" : " under '" + prefix.substring(0, prefix.length() - 1) + "'") + ": "
                        + String.join(", ", names) + ")");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The candidate within edit distance 2, case-insensitively, if there is one. */
    private static Optional<String> closest(String word, Iterable<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : candidates) {
            int d = editDistance(word.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
