package io.herald.cli;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The commented example config is the configuration reference: it must stay true to the code. */
class ExampleConfigTest {

    private static final Path EXAMPLE = Path.of("..", "herald.example.yaml");

    @Test
    void exampleLoadsAndEqualsTheBuiltInDefaults() {
        HeraldConfig fromExample = new ConfigLoader(Map.of()).load(Optional.of(EXAMPLE));

        assertThat(fromExample).isEqualTo(HeraldConfig.defaults());
    }

    @Test
    void exampleMentionsEveryKey() throws Exception {
        String text = Files.readString(EXAMPLE);

        for (String key : new ConfigLoader(Map.of()).keys()) {
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            assertThat(text).as("herald.example.yaml documents " + key).containsPattern("(?m)^\\s*" + leaf + ":");
        }
    }
}
