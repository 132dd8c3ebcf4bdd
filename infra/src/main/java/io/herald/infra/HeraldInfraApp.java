package io.herald.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.ConfigException;
import io.herald.core.config.HeraldConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The AWS CDK app that deploys Herald: {@code <stackName>-images} (the ECR repositories) and {@code <stackName>}
 * (everything else). Settings come from CDK context: {@code -c key=value} arguments, a JSON {@code --settings FILE},
 * or, when the cdk CLI runs the app, cdk.json and its {@code -c}; see {@link InfraSettings} and docs/deploy.md.
 * Synthesis needs node, because the CDK's constructs run in a jsii node process.
 *
 * <pre>
 * java ... io.herald.infra.HeraldInfraApp [--out DIR] [--settings FILE] [-c key=value]...
 * </pre>
 */
public final class HeraldInfraApp {

    private HeraldInfraApp() {}

    public static void main(String[] args) throws IOException {
        try {
            synth(args);
        } catch (IllegalArgumentException | ConfigException e) {
            // A bad setting or configuration: the message names every problem; a stack trace adds nothing.
            System.err.println("herald infra: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Synthesizes the templates; for tests, which must not exit the JVM. */
    static void synth(String[] args) throws IOException {
        Map<String, Object> context = new LinkedHashMap<>();
        String out = System.getenv("CDK_OUTDIR");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--out" -> out = required(arg, value);
                case "--settings" -> context.putAll(settingsFile(Path.of(required(arg, value))));
                case "-c", "--context" -> {
                    String pair = required(arg, value);
                    int eq = pair.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException(arg + " takes key=value, got '" + pair + "'");
                    }
                    context.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument '" + arg + "'; usage: [--out DIR] [--settings FILE] [-c key=value]...");
            }
            i++;
        }
        context.keySet().stream()
                .filter(key -> !InfraSettings.DEFAULTS.containsKey(key))
                .findFirst()
                .ifPresent(key -> {
                    throw new IllegalArgumentException(
                            "unknown setting '" + key + "'; the settings are " + InfraSettings.DEFAULTS.keySet());
                });
        App app = new App(AppProps.builder().outdir(out).context(context).build());
        define(app);
        CloudAssembly assembly = app.synth();
        System.out.println("CloudFormation templates in " + assembly.getDirectory() + ":");
        assembly.getStacks().forEach(s -> System.out.println("  " + s.getTemplateFullPath()));
    }

    /** Adds Herald's stacks to {@code app}, as its context describes them. */
    public static void define(App app) {
        InfraSettings settings = InfraSettings.from(key -> app.getNode().tryGetContext(key));
        HeraldConfig config = DeploymentConfig.load(settings.heraldConfig());
        StackProps props = StackProps.builder()
                .description(
                        "Herald notification dispatcher: queues, status table, api and pipeline on Fargate, alarms")
                .build();
        new ImageRepositoriesStack(
                app,
                settings.stackName() + "-images",
                StackProps.builder()
                        .description("Herald container image repositories")
                        .build(),
                settings);
        new HeraldStack(app, settings.stackName(), props, settings, config);
    }

    private static String required(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    /** A flat JSON object of context values, like cdk.json's "context". */
    private static Map<String, Object> settingsFile(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": must hold a JSON object of settings");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            values.put(field.getKey(), field.getValue().asText());
        }
        return values;
    }
}
