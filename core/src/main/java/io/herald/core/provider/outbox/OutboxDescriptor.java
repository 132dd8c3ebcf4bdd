package io.herald.core.provider.outbox;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;
import java.nio.file.Path;
import java.util.Optional;

/** Local mode: every email written as an .eml file into a directory. */
public final class OutboxDescriptor implements ProviderDescriptor<OutboxConfig> {

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public String scheme() {
        return "mailto";
    }

    @Override
    public TargetRule targetRule() {
        return TargetRule.EMAIL;
    }

    @Override
    public Class<OutboxConfig> configType() {
        return OutboxConfig.class;
    }

    @Override
    public OutboxConfig defaults() {
        return OutboxConfig.defaults();
    }

    @Override
    public void validate(OutboxConfig config, BlockChecks checks) {
        checks.text("dir", config.dir(), "a directory path such as outbox");
    }

    @Override
    public Optional<Path> localDirectory(OutboxConfig config) {
        return Optional.of(Path.of(config.dir()).toAbsolutePath());
    }
}
