package io.herald.cli;

import io.herald.core.control.PauseScope;
import picocli.CommandLine.Option;

/** {@code --channel C} or {@code --provider P}: what {@code herald pause} and {@code herald resume} act on. */
final class PauseScopeOption {

    @Option(names = "--channel", paramLabel = "CHANNEL", description = "A whole channel, e.g. email or slack.")
    String channel;

    @Option(names = "--provider", paramLabel = "PROVIDER", description = "One provider, e.g. ses or sendgrid.")
    String provider;

    PauseScope scope() {
        return channel != null ? PauseScope.channel(channel) : PauseScope.provider(provider);
    }
}
