package io.herald.cli;

import io.herald.api.ApiAccess;
import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run all of Herald in one process without AWS, durably: the HTTP API, the web page and the "
                    + "pipeline on an embedded SQS (ElasticMQ) and DynamoDB (DynamoDB Local) that keep their queues, "
                    + "messages and statuses in serve.dataDir (default /var/lib/herald), so a restart, even after a "
                    + "crash, loses no accepted message.",
            "The same queues, dead-letter queues and status table as in AWS; providers as configured. "
                    + "Without api.keys it refuses to start unless api.open is true. It refuses a data "
                    + "directory it cannot write or one holding data of another version (exit 1)."
        })
final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Keep the data here instead of serve.dataDir (HERALD_SERVE_DATA_DIR).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        HeraldConfig loaded = config.load();
        HeraldConfig requested =
                dataDir == null ? loaded : loaded.withServe(new HeraldConfig.Serve(dataDir.toString()));
        // Checked before anything is created or started, as `herald api` does: no accidental open API.
        ApiAccess.fromConfig(requested.api(), false);
        ServeData data = ServeData.open(Path.of(requested.serve().dataDir()));
        LocalStack stack = LocalStack.startDurable(requested, data);
        String queues = stack.queues().stream().map(QueueRef::name).collect(Collectors.joining(", "));
        String api = stack.apiUrl().toString();
        String access = stack.apiAccess().isOpen()
                ? "OPEN: no API keys, api.open is true"
                : "API keys: " + String.join(", ", stack.apiAccess().keyNames());
        System.out.printf(
                """
                Herald serve is running; its data is in %s. Ctrl-C or SIGTERM stops it.
                  Page    %s/   Board %s/#/dashboard
                  API     %s   (%s)
                  Status  %s   (embedded DynamoDB, on disk)
                  SQS     %s   queues %s, each with a dead-letter queue (suffix %s), on disk
                  Admin   %s   (/status: provider health; /metrics: Prometheus)
                %n""",
                data.dir(),
                api,
                api,
                api,
                access,
                stack.dynamoDbEndpoint(),
                stack.sqsEndpoint(),
                queues,
                requested.sqs().deadLetterSuffix(),
                stack.adminUrl().map(Object::toString).orElse("off"));
        System.out.flush();
        Services.runUntilStopped("serve", stack);
        return 0;
    }
}
