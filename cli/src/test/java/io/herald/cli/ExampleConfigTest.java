package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.DurationRange;
import io.herald.core.config.Durations;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Port;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import jakarta.validation.Valid;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.validator.constraints.Range;
import org.junit.jupiter.api.Test;

/**
 * The commented example config is the configuration reference: it must stay true to the code. The code's
 * {@code defaults()} and its declared ranges are the one source; this test holds the example to them.
 */
class ExampleConfigTest {

    private static final Path EXAMPLE = Path.of("..", "herald.example.yaml");
    /** A range as the example's comments write one: {@code 1-1000}, {@code 1s-12h}, {@code 1024 to 1048576}. */
    private static final Pattern STATED_RANGE = Pattern.compile("(?<![\\w./])(\\d+[a-z]*)(?:-| to )(\\d+[a-z]*)\\b");

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

    @Test
    void everyDeclaredRangeIsStatedAboveItsKeyAsTheCodeChecksIt() throws Exception {
        Map<String, String> comments = commentsAbove(Files.readAllLines(EXAMPLE));
        Map<String, String> declared = new LinkedHashMap<>();
        declaredRanges(HeraldConfig.class, "", declared);
        for (ProviderDescriptor<?> provider : ProviderRegistry.installed().all()) {
            declaredRanges(provider.configType(), "providers." + provider.name() + ".", declared);
        }

        assertThat(declared).as("ranges declared on the config records").containsKey("pipeline.maxInFlight");
        List<String> wrong = new ArrayList<>();
        declared.forEach((key, range) -> {
            List<String> stated = new ArrayList<>();
            Matcher m = STATED_RANGE.matcher(comments.getOrDefault(key, ""));
            while (m.find()) {
                stated.add(m.group(1) + "-" + m.group(2));
            }
            if (!stated.contains(range)) {
                wrong.add(key + ": the code allows " + range + ", the comment above it states " + stated);
            }
        });
        assertThat(wrong)
                .as("herald.example.yaml states each key's range as the code checks it")
                .isEmpty();
    }

    /** Each key's path with the comment lines right above it and the comment at the end of its line. */
    private static Map<String, String> commentsAbove(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> path = new ArrayList<>();
        StringBuilder comment = new StringBuilder();
        Pattern keyLine = Pattern.compile("^( *)([A-Za-z]\\w*):");
        for (String line : lines) {
            if (line.strip().startsWith("#")) {
                comment.append(' ').append(line.strip().substring(1).strip());
                continue;
            }
            Matcher m = keyLine.matcher(line);
            if (m.find()) {
                int depth = m.group(1).length() / 2;
                path.subList(Math.min(depth, path.size()), path.size()).clear();
                path.add(m.group(2));
                // Keys that share the comment above them state their own range at the end of their line.
                int trailing = line.indexOf(" # ");
                out.put(String.join(".", path), comment + (trailing < 0 ? "" : " " + line.substring(trailing + 3)));
            }
            comment.setLength(0);
        }
        return out;
    }

    /** The ranges on {@code type}'s components as "min-max", descending into sections marked {@code @Valid}. */
    private static void declaredRanges(Class<?> type, String prefix, Map<String, String> out) throws Exception {
        for (RecordComponent component : type.getRecordComponents()) {
            Field field = type.getDeclaredField(component.getName());
            String key = prefix + component.getName();
            Range range = field.getAnnotation(Range.class);
            DurationRange durations = field.getAnnotation(DurationRange.class);
            if (range != null) {
                out.put(key, range.min() + "-" + range.max());
            } else if (field.isAnnotationPresent(Port.class)) {
                out.put(key, "0-65535");
            } else if (durations != null) {
                out.put(
                        key,
                        Durations.format(Durations.parse(durations.min()).orElseThrow()) + "-"
                                + Durations.format(
                                        Durations.parse(durations.max()).orElseThrow()));
            } else if (field.isAnnotationPresent(Valid.class)
                    && component.getType().isRecord()) {
                declaredRanges(component.getType(), key + ".", out);
            }
        }
    }
}
