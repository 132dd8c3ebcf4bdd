package io.herald.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A drill's own options, {@code --name value} pairs only. Anything else (an unknown name, a missing or malformed value)
 * is a {@link BadDrillArgumentException} naming what was wrong, which the harness turns into a one-line reason and a
 * non-zero exit.
 */
public final class DrillOptions {

    private final String drill;
    private final Map<String, String> values;

    private DrillOptions(String drill, Map<String, String> values) {
        this.drill = drill;
        this.values = values;
    }

    /** Parses {@code args}, accepting only the option names in {@code known} (with their dashes). */
    public static DrillOptions parse(String drill, List<String> args, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!known.contains(name)) {
                throw new BadDrillArgumentException(drill + ": unknown option '" + name + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
            if (i + 1 >= args.size()) {
                throw new BadDrillArgumentException(drill + ": " + name + " needs a value");
            }
            values.put(name, args.get(++i));
        }
        return new DrillOptions(drill, values);
    }

    /** A whole number of at least {@code min}. */
    public int intOption(String name, int fallback, int min) {
        String raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min) {
                throw new BadDrillArgumentException(drill + ": " + name + " must be at least " + min + ", got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadDrillArgumentException(drill + ": " + name + " needs a whole number, got '" + raw + "'");
        }
    }

    /** A decimal number between {@code min} and {@code max}, e.g. a percentage like {@code 0.2}. */
    public double decimalOption(String name, double fallback, double min, double max) {
        String raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(raw.strip());
        } catch (NumberFormatException e) {
            throw new BadDrillArgumentException(drill + ": " + name + " needs a number, got '" + raw + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new BadDrillArgumentException(
                    drill + ": " + name + " must be between " + min + " and " + max + ", got " + raw);
        }
        return value;
    }

    /** A comma-separated list of whole numbers, each at least {@code min}, e.g. {@code 8,16,32}. */
    public List<Integer> intListOption(String name, List<Integer> fallback, int min) {
        String raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        List<Integer> out = new java.util.ArrayList<>();
        for (String part : raw.split(",", -1)) {
            try {
                int value = Integer.parseInt(part.strip());
                if (value < min) {
                    throw new BadDrillArgumentException(
                            drill + ": " + name + " values must be at least " + min + ", got " + raw);
                }
                out.add(value);
            } catch (NumberFormatException e) {
                throw new BadDrillArgumentException(
                        drill + ": " + name + " needs whole numbers separated by commas, got '" + raw + "'");
            }
        }
        return List.copyOf(out);
    }

    /** Whole seconds, at least {@code minSeconds}. */
    public Duration secondsOption(String name, Duration fallback, int minSeconds) {
        return values.containsKey(name) ? Duration.ofSeconds(intOption(name, 0, minSeconds)) : fallback;
    }

    /** The options as given, for the results file. */
    public Map<String, String> given() {
        return Map.copyOf(values);
    }
}
