package io.herald.pipeline.provider.outbox;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.outbox.OutboxConfig;
import io.herald.core.provider.outbox.OutboxDescriptor;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import io.herald.pipeline.provider.email.EmailMessages;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** Builds the outbox provider from {@code providers.outbox}. */
public final class OutboxFactory implements ProviderFactory<OutboxConfig> {

    @Override
    public ProviderDescriptor<OutboxConfig> descriptor() {
        return new OutboxDescriptor();
    }

    @Override
    public Provider build(OutboxConfig config, Clock clock) {
        return new OutboxProvider(
                Path.of(config.dir()).toAbsolutePath(),
                new EmailMessages(OutboxProvider.DEFAULT_FROM, Optional.empty()));
    }

    /** The outbox's files carry the unsubscribe headers too, so {@code herald local} shows what a mail client gets. */
    @Override
    public Provider build(OutboxConfig config, Clock clock, int maxConnections, UnsubscribeLinks unsubscribeLinks) {
        return new OutboxProvider(
                Path.of(config.dir()).toAbsolutePath(),
                new EmailMessages(OutboxProvider.DEFAULT_FROM, Optional.empty(), unsubscribeLinks));
    }
}
