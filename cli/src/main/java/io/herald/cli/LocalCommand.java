package io.herald.cli;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Run all of Herald on this machine: an embedded SQS (with dead-letter queues), the HTTP API "
                    + "and the pipeline, delivering email as .eml files into a directory (its provider block says "
                    + "which).",
            "Needs nothing installed and reaches nothing outside this machine. Ctrl-C stops it."
        })
final class LocalCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(
            names = "--demo",
            description = {
                "The chaos demo: email goes through Herald's real clients of the email providers that offer a "
                        + "stand-in, to stand-ins of their APIs on 127.0.0.1 (instead of into files), which the "
                        + "dashboard (/#/dashboard) "
                        + "breaks and heals, with demo traffic at the rate you choose there."
            })
    boolean demo;

    @Override
    public Integer call() throws Exception {
        HeraldConfig loaded = config.load();
        // With --demo mail goes to the stand-ins, not into files, so nobody would see a link: no links by default.
        Optional<HeraldConfig> withLinks = !demo
                ? LocalSelfService.withDefaults(loaded)
                : Optional.of(loaded).filter(c -> c.api().selfService().enabled());
        HeraldConfig requested = withLinks.orElse(loaded);
        LocalStack stack = demo ? LocalStack.startWithDemo(requested) : LocalStack.start(requested);
        String queues = stack.queues().stream().map(QueueRef::name).collect(Collectors.joining(", "));
        String api = stack.apiUrl().toString();
        String access = stack.apiAccess().isOpen()
                ? "OPEN: no API keys are configured, so anyone who can reach it may send as anyone"
                : "API keys required: " + String.join(", ", stack.apiAccess().keyNames());
        Path stateFile = requested.local().stateFilePath();
        long pid = ProcessHandle.current().pid();
        String state;
        try {
            LocalStackState.of(stack, pid, Instant.now()).write(stateFile);
            state = stateFile + "   (how --local on other herald commands finds this stack)";
        } catch (IOException e) {
            state = "not written (" + stateFile + ": " + e.getMessage() + "); --local cannot find this stack: set "
                    + "local.stateFile (" + ConfigLoader.environmentVariable("local.stateFile") + ")";
        }
        System.out.printf(
                """
                Herald is running locally. Press Ctrl-C to stop.
                  Page    %s/   (send a notification and watch its delivery)
                  Board   %s/#/dashboard   (queues, provider health, deliveries per second)
                  Me      %s
                  API     %s   (%s)
                  Status  %s   (embedded DynamoDB: delivery status and Idempotency-Keys, in memory)
                  SQS     %s   queues %s, each with a dead-letter queue (suffix %s)
                  %s
                  Admin   %s   (/status: provider health; /metrics: Prometheus; /healthz, /readyz)
                  State   %s

                Send an email:
                  curl -s -H 'Content-Type: application/json' -d \
                '{"email":{"fromEmail":"me@example.org","toEmail":"you@example.org",\
                "subject":"Hello","body":"Sent through Herald"}}' %s/email/send
                %n""",
                api,
                api,
                me(stack, withLinks.isPresent()),
                api,
                access,
                stack.dynamoDbEndpoint(),
                stack.sqsEndpoint(),
                queues,
                requested.sqs().deadLetterSuffix(),
                email(stack),
                stack.adminUrl().map(Object::toString).orElse("off"),
                state,
                api);
        System.out.flush();
        Services.runUntilStopped("local stack", () -> {
            LocalStackState.removeIfOurs(stateFile, pid);
            stack.close();
        });
        return 0;
    }

    private static String me(LocalStack stack, boolean on) {
        if (!on) {
            return "off   (Slurm users' settings page: needs a fixed api.port, or api.selfService.publicUrl; "
                    + "not with --demo)";
        }
        HeraldConfig running = stack.config();
        String domain = running.mailprog().mailDomain();
        return running.api().selfService().publicUrl().replaceAll("/+$", "") + "/#/me   (Slurm users' settings: "
                + "a user's link is mailed to USER@" + domain + ", by default into the files above)";
    }

    private static String email(LocalStack stack) {
        return stack.demo()
                .map(d -> "Demo    email via "
                        + d.fakes().stream()
                                .map(f -> f.provider() + " " + f.baseUrl())
                                .collect(Collectors.joining(" and "))
                        + " (stand-ins: break and heal them on the dashboard)")
                .or(() -> stack.localDirectory()
                        .map(dir -> "Files   " + dir + "   (one .eml file per email; open it with any mail client)"))
                .orElse("Email   through the configured providers (none writes files here)");
    }
}
