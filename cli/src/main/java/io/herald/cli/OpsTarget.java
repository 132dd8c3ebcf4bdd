package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The options every operations command ({@code dlq}, {@code queues}, {@code send-test}, {@code pause}, {@code resume})
 * takes: {@code --config}, {@code --json}, and {@code --local}, which points it at the {@code ./herald local} running
 * on this machine: the one whose state file ({@code local.stateFile}) names a live PID. Its endpoints, queues and
 * status table come from that file, so whatever ports it got are reached, and never a stack that merely happens to
 * listen on the usual ones.
 */
final class OpsTarget {

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print one JSON document for scripts instead of text for people.")
    boolean json;

    @Option(
            names = "--local",
            description = "Talk to the `./herald local` running on this machine, found through "
                    + "the state file it writes (local.stateFile; default /tmp/herald-local-<user>.json), instead of "
                    + "sqs.endpoint and status.endpoint. Fails when none is running.")
    boolean local;

    /** The configuration, pointed at the running local stack when --local is given. */
    HeraldConfig load() {
        HeraldConfig config = this.config.load();
        return local ? LocalStackState.find(config.local()).applyTo(config) : config;
    }

    /** The configured queues, which must exist; with --local, a local stack that stopped answering is named as such. */
    Services.Queues connect(HeraldConfig config) {
        try {
            return Services.connectToQueues(config);
        } catch (SdkClientException e) {
            if (!local) {
                throw e;
            }
            throw new StartupException("cannot reach the SQS of `./herald local` at "
                    + config.sqs().endpoint() + ": " + Services.rootMessage(e));
        }
    }
}
