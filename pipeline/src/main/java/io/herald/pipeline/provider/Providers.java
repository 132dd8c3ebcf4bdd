package io.herald.pipeline.provider;

import io.herald.core.config.HeraldConfig;
import io.herald.core.provider.ProviderBlock;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.provider.ProviderSettings;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the enabled providers from configuration: each installed provider's block ({@link ProviderRegistry}) with the
 * {@link ProviderFactory} of the same name, both found with {@link ServiceLoader}, each behind its rate limit. Nothing
 * here names a provider.
 */
public final class Providers {

    private static final Logger log = LoggerFactory.getLogger(Providers.class);

    private Providers() {}

    public static List<ConfiguredProvider> fromConfig(HeraldConfig config) {
        return fromConfig(config, Clock.systemUTC());
    }

    /**
     * @throws IllegalArgumentException when an enabled provider cannot be built (e.g. its template does not compile, or
     *     no factory is installed for it); providers built so far are closed
     */
    public static List<ConfiguredProvider> fromConfig(HeraldConfig config, Clock clock) {
        Map<String, ProviderFactory<?>> factories = factories();
        // A provider's HTTP pool holds as many connections as the pipeline makes sends through it at once.
        int connections = config.pipeline().maxInFlightPerWorker();
        UnsubscribeLinks unsubscribeLinks = UnsubscribeLinks.from(config);
        List<ConfiguredProvider> enabled = new ArrayList<>();
        try {
            for (ProviderDescriptor<?> descriptor : ProviderRegistry.installed().all()) {
                ProviderSettings block = config.providers().get(descriptor.name());
                if (!block.enabled()) {
                    continue;
                }
                ProviderFactory<?> factory = factories.get(descriptor.name());
                if (factory == null) {
                    throw new IllegalArgumentException("providers." + descriptor.name()
                            + " is enabled but this installation has no sender for it; disable it");
                }
                enabled.add(new ConfiguredProvider(
                        build(factory, block, clock, connections, unsubscribeLinks), block.weight()));
            }
        } catch (RuntimeException e) {
            closeAll(enabled.stream().map(ConfiguredProvider::provider).toList());
            throw e;
        }
        return List.copyOf(enabled);
    }

    /** The provider's sender, behind its rate limit when its block has one ({@link RateLimitedProvider}). */
    private static <C extends Record & ProviderSettings> Provider build(
            ProviderFactory<C> factory,
            ProviderSettings block,
            Clock clock,
            int connections,
            UnsubscribeLinks unsubscribeLinks) {
        Provider sender = factory.build(factory.descriptor().cast(block), clock, connections, unsubscribeLinks);
        if (block instanceof ProviderBlock limited) {
            return new RateLimitedProvider(sender, limited.rateLimit(), limited.ratePeriod(), limited.timeout(), clock);
        }
        return sender;
    }

    /**
     * The feedback intakes the providers' blocks switch on (e.g. SES's feedback queue), opened but not started.
     *
     * @throws RuntimeException when one cannot be opened (e.g. its queue does not exist); those opened so far are
     *     closed
     */
    public static List<FeedbackIntake> feedbackIntakes(HeraldConfig config, FeedbackIntake.Context context) {
        Map<String, ProviderFactory<?>> factories = factories();
        List<FeedbackIntake> intakes = new ArrayList<>();
        try {
            for (ProviderDescriptor<?> descriptor : ProviderRegistry.installed().all()) {
                ProviderFactory<?> factory = factories.get(descriptor.name());
                if (factory != null) {
                    intake(factory, config.providers().get(descriptor.name()), context)
                            .ifPresent(intakes::add);
                }
            }
        } catch (RuntimeException e) {
            intakes.forEach(FeedbackIntake::close);
            throw e;
        }
        return List.copyOf(intakes);
    }

    private static <C extends Record & ProviderSettings> java.util.Optional<FeedbackIntake> intake(
            ProviderFactory<C> factory, ProviderSettings block, FeedbackIntake.Context context) {
        return factory.feedbackIntake(factory.descriptor().cast(block), context);
    }

    /** The installed factories by provider name. */
    @SuppressWarnings("rawtypes")
    static Map<String, ProviderFactory<?>> factories() {
        Map<String, ProviderFactory<?>> byName = new LinkedHashMap<>();
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class, Providers.class.getClassLoader())) {
            ProviderFactory<?> typed = factory;
            if (byName.putIfAbsent(typed.descriptor().name(), typed) != null) {
                throw new IllegalStateException(
                        "two factories for provider '" + typed.descriptor().name() + "'");
            }
        }
        return byName;
    }

    /** Closes the providers that hold resources (HTTP clients, SDK clients); never throws. */
    public static void closeAll(Collection<? extends Provider> providers) {
        for (Provider provider : providers) {
            if (provider instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn(
                            "closing provider {} failed: {}",
                            provider.name(),
                            e.getClass().getSimpleName());
                }
            }
        }
    }
}
