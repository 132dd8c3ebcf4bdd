package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {
            "Check a configuration and print the values Herald would run with.",
            "Exits 2, naming every bad key, when the configuration is invalid."
        })
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Option(names = "--keys", description = "List every key with the environment variable that overrides it.")
    boolean keys;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> env = System.getenv();
        ConfigLoader loader = new ConfigLoader(env);
        if (keys) {
            loader.keys().forEach(key -> out.printf("%-28s %s%n", key, ConfigLoader.environmentVariable(key)));
            out.flush();
            return 0;
        }
        HeraldConfig effective = loader.load(config.resolve(env));
        YAMLMapper yaml = ConfigLoader.yamlMapper();
        JsonNode tree = yaml.valueToTree(effective);
        out.print(yaml.writeValueAsString(tree).replaceFirst("^---\\s*\\n", ""));
        out.flush();
        return 0;
    }
}
