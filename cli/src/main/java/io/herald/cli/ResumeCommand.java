package io.herald.cli;

import io.herald.core.config.Durations;
import io.herald.core.config.HeraldConfig;
import io.herald.core.control.PauseScope;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description = {
            "Resume delivery for a channel or a provider paused with `herald pause`.",
            "Every pipeline instance picks it up within control.refreshInterval and one iteration; "
                    + "resuming what is not paused does nothing."
        })
final class ResumeCommand implements Callable<Integer> {

    @Mixin
    OpsTarget ops;

    @ArgGroup(exclusive = false, multiplicity = "1")
    PauseScopeOption target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HeraldConfig cfg = ops.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PauseScope scope = ControlCommands.scope(target, err);
        if (scope == null) {
            return Herald.EXIT_USAGE;
        }
        return ControlCommands.withStore(cfg, ops.local, err, store -> {
            boolean wasPaused = store.pauses().stream().anyMatch(p -> p.scope().equals(scope));
            store.resume(scope);
            if (ops.json) {
                JsonOutput.print(out, ControlCommands.json(store.pauses()));
                return;
            }
            out.println(
                    wasPaused
                            ? "Resumed " + scope + ". Pipelines send to it again within "
                                    + Durations.format(cfg.control().refreshInterval()) + " and one iteration."
                            : scope + " was not paused; nothing to do.");
            out.flush();
        });
    }
}
