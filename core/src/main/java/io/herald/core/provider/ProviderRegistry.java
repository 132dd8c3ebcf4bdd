package io.herald.core.provider;

import io.herald.core.receiver.ReceiverParser;
import io.herald.core.receiver.TargetRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Every provider Herald has, as {@link ProviderDescriptor}s found on the class path: the one list that configuration,
 * receiver parsing, pauses, metrics and {@code GET /v1/channels} derive from. Immutable once built.
 */
public final class ProviderRegistry {

    private final List<ProviderDescriptor<?>> descriptors;
    private final Map<String, ProviderDescriptor<?>> byName;
    private final Map<String, ReceiverParser.Scheme> schemes;

    /**
     * @throws IllegalStateException when two descriptors share a name, or one scheme is claimed for two channels or
     *     with two target rules
     */
    public ProviderRegistry(List<? extends ProviderDescriptor<?>> descriptors) {
        this.descriptors = List.copyOf(descriptors);
        Map<String, ProviderDescriptor<?>> names = new LinkedHashMap<>();
        Map<String, ReceiverParser.Scheme> byScheme = new LinkedHashMap<>();
        for (ProviderDescriptor<?> d : this.descriptors) {
            if (names.putIfAbsent(d.name(), d) != null) {
                throw new IllegalStateException("two providers are named '" + d.name() + "'");
            }
            ReceiverParser.Scheme scheme = new ReceiverParser.Scheme(d.channel(), d.targetRule());
            ReceiverParser.Scheme before = byScheme.putIfAbsent(d.scheme(), scheme);
            if (before != null && !before.equals(scheme)) {
                throw new IllegalStateException("provider '" + d.name() + "' gives scheme '" + d.scheme()
                        + "' another channel or target rule than a provider before it");
            }
        }
        this.byName = Map.copyOf(names);
        this.schemes = byScheme;
    }

    /** The providers on the class path, in the order of their registration files. */
    public static ProviderRegistry installed() {
        return Installed.REGISTRY;
    }

    /** Loaded once, on first use: the class path does not change while Herald runs. */
    private static final class Installed {
        static final ProviderRegistry REGISTRY = load();

        @SuppressWarnings("rawtypes")
        private static ProviderRegistry load() {
            List<ProviderDescriptor<?>> found = new ArrayList<>();
            ClassLoader loader = ProviderRegistry.class.getClassLoader();
            for (ProviderDescriptor d : ServiceLoader.load(ProviderDescriptor.class, loader)) {
                found.add(d);
            }
            return new ProviderRegistry(found);
        }
    }

    public List<ProviderDescriptor<?>> all() {
        return descriptors;
    }

    public Optional<ProviderDescriptor<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The names of every provider, in registration order. */
    public List<String> names() {
        return descriptors.stream().map(ProviderDescriptor::name).toList();
    }

    /** Provider name → its channel, in registration order. */
    public Map<String, String> channelOf() {
        Map<String, String> out = new LinkedHashMap<>();
        descriptors.forEach(d -> out.put(d.name(), d.channel()));
        return out;
    }

    /** Every channel, in the order its first provider registered. */
    public Set<String> channels() {
        return new LinkedHashSet<>(channelOf().values());
    }

    /** Receiver schemes: the word before ':' → its channel and target rule. */
    public Map<String, ReceiverParser.Scheme> schemes() {
        return new LinkedHashMap<>(schemes);
    }

    /** The rule of a scheme, for describing it (e.g. to the web page). */
    public Optional<TargetRule> targetRule(String scheme) {
        return Optional.ofNullable(schemes.get(scheme)).map(ReceiverParser.Scheme::rule);
    }
}
