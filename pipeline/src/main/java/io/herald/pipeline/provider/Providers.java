package io.herald.pipeline.provider;

import io.herald.core.config.HeraldConfig;
import io.herald.pipeline.provider.outbox.OutboxProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the enabled providers from configuration: the one place that knows every provider
 * package. Adding a provider adds its package, its config block and one line here.
 */
public final class Providers {

    private Providers() {
    }

    public static List<ConfiguredProvider> fromConfig(HeraldConfig config) {
        HeraldConfig.Providers p = config.providers();
        List<ConfiguredProvider> enabled = new ArrayList<>();
        if (p.outbox().enabled()) {
            enabled.add(new ConfiguredProvider(new OutboxProvider(Path.of(p.outbox().dir()).toAbsolutePath()),
                    p.outbox().weight()));
        }
        return List.copyOf(enabled);
    }
}
