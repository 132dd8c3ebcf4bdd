package io.herald.pipeline.provider;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderSettings;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import java.time.Clock;
import java.util.Optional;

/**
 * Builds the sender of one provider from its configuration block: the pipeline's half of a provider plug-in, beside its
 * {@link ProviderDescriptor} in core. Found with {@link java.util.ServiceLoader} (one line in
 * {@code META-INF/services/io.herald.pipeline.provider.ProviderFactory}).
 *
 * @param <C> the provider's configuration block
 */
public interface ProviderFactory<C extends Record & ProviderSettings> {

    /** The provider this builds, as configuration knows it. */
    ProviderDescriptor<C> descriptor();

    /**
     * @param config the provider's block, enabled
     * @param clock the time rate limits and delays are measured with
     * @throws IllegalArgumentException when the block cannot make a sender (e.g. its template does not compile)
     */
    Provider build(C config, Clock clock);

    /**
     * Like {@link #build(Record, Clock)}, for a pipeline that sends through the provider at most {@code maxConnections}
     * at once: a provider with a connection pool sizes it so (an HTTP client's default pool, e.g. Apache's 5 per route,
     * would make sends wait for a connection and time out while the provider is healthy). The default ignores it.
     */
    default Provider build(C config, Clock clock, int maxConnections) {
        return build(config, clock);
    }

    /**
     * Like {@link #build(Record, Clock, int)}, with what makes the RFC 8058 unsubscribe headers: an email provider adds
     * the headers {@code unsubscribeLinks} gives for each envelope; the default (every other channel) ignores it.
     */
    default Provider build(C config, Clock clock, int maxConnections, UnsubscribeLinks unsubscribeLinks) {
        return build(config, clock, maxConnections);
    }

    /**
     * The intake this provider's feedback arrives through in the pipeline, when its block switches one on; empty
     * otherwise (the default: most providers report nothing back, or report to the API's webhook).
     *
     * @param config the provider's block, enabled or not (feedback may come for mail sent before it was switched off)
     * @throws io.herald.core.config.ConfigException when what the block names does not exist (e.g. a queue)
     */
    default Optional<FeedbackIntake> feedbackIntake(C config, FeedbackIntake.Context context) {
        return Optional.empty();
    }
}
