package io.herald.core.config;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderBlock;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.provider.ProviderSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Validation of the provider blocks: the keys every block has, here, then each provider's own rules
 * ({@link ProviderDescriptor#validate}). A disabled block is checked only for values that are wrong whatever happens
 * (weights, durations); an enabled one must also be able to send.
 */
final class ProviderChecks {

    private final BiConsumer<String, String> problem;
    private final Duration sendTimeout;

    /**
     * @param problem receives key and message of each problem
     * @param sendTimeout pipeline.sendTimeout, which bounds every provider's own timeout
     */
    ProviderChecks(BiConsumer<String, String> problem, Duration sendTimeout) {
        this.problem = problem;
        this.sendTimeout = sendTimeout;
    }

    void check(HeraldConfig.ProviderBlocks providers) {
        for (ProviderDescriptor<?> descriptor : ProviderRegistry.installed().all()) {
            check(descriptor, providers.get(descriptor.name()));
        }
    }

    private <C extends Record & ProviderSettings> void check(ProviderDescriptor<C> descriptor, ProviderSettings block) {
        BlockChecks checks = new BlockChecks(descriptor.name(), problem);
        common(checks, block);
        descriptor.validate(descriptor.cast(block), checks);
    }

    private void common(BlockChecks checks, ProviderSettings settings) {
        if (settings.weight() < 1 || settings.weight() > 1000) {
            checks.problem(
                    "weight",
                    "must be between 1 and 1000 (a share among the channel's healthy providers), " + "got "
                            + settings.weight());
        }
        if (!(settings instanceof ProviderBlock block)) {
            return;
        }
        checks.duration("timeout", block.timeout(), Duration.ofMillis(1), Duration.ofHours(1));
        if (block.enabled()
                && block.timeout() != null
                && sendTimeout != null
                && block.timeout().compareTo(sendTimeout) > 0) {
            // The pipeline gives up on a send after pipeline.sendTimeout; a longer provider timeout never fires.
            checks.problem(
                    "timeout",
                    Durations.format(block.timeout()) + " is longer than pipeline.sendTimeout ("
                            + Durations.format(sendTimeout) + "); make it at most that");
        }
        if (block.rateLimit() < 1 || block.rateLimit() > 100_000) {
            checks.problem(
                    "rateLimit", "must be between 1 and 100000 requests per ratePeriod, got " + block.rateLimit());
        }
        checks.duration("ratePeriod", block.ratePeriod(), Duration.ofMillis(1), Duration.ofHours(24));
        if (block.enabled()
                && block.template() != null
                && !block.template().isBlank()
                && !Files.isReadable(Path.of(block.template()))) {
            checks.problem(
                    "template",
                    "'" + block.template()
                            + "' is not a readable file; give a Pebble template's path, or leave it "
                            + "empty for the built-in "
                            + "rendering");
        }
    }
}
