package io.herald.cli;

import io.herald.core.config.Durations;
import io.herald.core.config.HeraldConfig;
import io.herald.core.control.Pause;
import io.herald.core.control.PauseScope;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "pause",
        mixinStandardHelpOptions = true,
        description = {
            "Pause delivery for a channel or a provider without stopping any pipeline.",
            "Messages wait in SQS meanwhile; a paused provider's share goes to the channel's other providers.",
            "The switch lives in the status table: every pipeline instance obeys within control.refreshInterval "
                    + "and one iteration. `herald resume` turns it off; --list shows what is paused."
        })
final class PauseCommand implements Callable<Integer> {

    /** Exactly one of --channel, --provider, --list. */
    static final class Target {
        @ArgGroup(exclusive = false)
        PauseScopeOption scope;

        @Option(names = "--list", description = "List what is paused, since when and by whom.")
        boolean list;
    }

    @Mixin
    OpsTarget ops;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(
            names = "--by",
            paramLabel = "NAME",
            defaultValue = "cli",
            description = "Who paused, as shown in listings and on the dashboard. Default: ${DEFAULT-VALUE}.")
    String by;

    @Option(
            names = "--reason",
            paramLabel = "TEXT",
            defaultValue = "",
            description = {
                "Why, for the other operators (one line, at most " + Pause.MAX_REASON_CHARS
                        + " characters), e.g. \"sandbox sending limit, ticket 4711\". Shown with who and since when in",
                "--list, the admin port's /status and on the dashboard, and logged once by each pipeline."
            })
    String reason;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HeraldConfig cfg = ops.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PauseScope scope = target.list ? null : ControlCommands.scope(target.scope, err);
        if (!target.list && scope == null) {
            return Herald.EXIT_USAGE;
        }
        String why = reason.strip();
        Optional<String> problem = Pause.reasonProblem(why);
        if (problem.isPresent()) {
            err.println("herald pause: --reason " + problem.get());
            return Herald.EXIT_USAGE;
        }
        return ControlCommands.withStore(cfg, ops.local, err, store -> {
            if (!target.list) {
                store.pause(scope, by, why);
            }
            List<Pause> pauses = store.pauses();
            if (ops.json) {
                JsonOutput.print(out, ControlCommands.json(pauses));
            } else if (target.list) {
                if (pauses.isEmpty()) {
                    out.println("Nothing is paused.");
                }
                pauses.forEach(p -> out.printf(
                        "%-8s %-12s since %s by %s%s%n",
                        p.scope().kind().label(),
                        p.scope().name(),
                        p.since(),
                        p.by(),
                        p.reason().isEmpty() ? "" : ": " + p.reason()));
            } else {
                out.println("Paused " + scope + ". Pipelines stop sending to it within "
                        + Durations.format(cfg.control().refreshInterval())
                        + " and one iteration; messages wait in SQS. "
                        + "Undo with: herald resume --" + scope.kind().label() + " " + scope.name());
            }
            out.flush();
        });
    }
}
