package io.herald.cli;

import io.herald.core.control.PauseScope;
import picocli.CommandLine.Option;

/** {@code --channel C} or {@code --provider P}: what {@code herald pause} and {@code herald resume} act on. */
final class PauseScopeOption {

    @Option(
            names = "--channel",
            paramLabel = "CHANNEL",
            completionCandidates = RegistryCandidates.ChannelNames.class,
            description = "A whole channel: ${COMPLETION-CANDIDATES}.")
    String channel;

    @Option(
            names = "--provider",
            paramLabel = "PROVIDER",
            completionCandidates = RegistryCandidates.ProviderNames.class,
            description = "One provider: ${COMPLETION-CANDIDATES}.")
    String provider;

    PauseScope scope() {
        return channel != null ? PauseScope.channel(channel) : PauseScope.provider(provider);
    }
}
