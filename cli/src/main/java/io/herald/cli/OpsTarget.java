package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The options every operations command ({@code dlq}, {@code queues}, {@code send-test}, {@code pause},
 * {@code resume}) takes:
 * {@code --config}, {@code --json}, and {@code --local}, which points it at a {@code ./herald local}
 * running on this machine. Local mode starts its SQS and DynamoDB on {@code local.sqsPort} and
 * {@code local.dynamodbPort} of 127.0.0.1 and creates the configured queues and table, so with
 * the same configuration these endpoints reach exactly what it runs.
 */
final class OpsTarget {

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print one JSON document for scripts instead of text for people.")
    boolean json;

    @Option(names = "--local", description = "Talk to a running `herald local` on this machine: SQS at "
            + "http://127.0.0.1:<local.sqsPort> (9324) and DynamoDB at http://127.0.0.1:<local.dynamodbPort> (8000), "
            + "instead of sqs.endpoint and status.endpoint.")
    boolean local;

    /** The configuration, with the local stack's endpoints when --local is given. */
    HeraldConfig load() {
        HeraldConfig config = this.config.load();
        if (!local) {
            return config;
        }
        if (config.local().sqsPort() == 0 || config.local().dynamodbPort() == 0) {
            throw new StartupException("--local needs fixed ports, but local.sqsPort or local.dynamodbPort is 0; "
                    + "set HERALD_SQS_ENDPOINT and HERALD_STATUS_ENDPOINT to the addresses `herald local` printed");
        }
        return config.withSqs(config.sqs().withEndpoint("http://127.0.0.1:" + config.local().sqsPort()))
                .withStatus(config.status().withEndpoint("http://127.0.0.1:" + config.local().dynamodbPort()));
    }

    /** The configured queues, which must exist; with --local, a local stack that is not running is named as such. */
    Services.Queues connect(HeraldConfig config) {
        try {
            return Services.connectToQueues(config);
        } catch (SdkClientException e) {
            if (!local) {
                throw e;
            }
            throw new StartupException("cannot reach SQS at " + config.sqs().endpoint() + " (is `herald local` running? "
                    + "it prints its addresses when it starts): " + Services.rootMessage(e));
        }
    }
}
