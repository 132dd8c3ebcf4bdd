package io.herald.cli;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.control.ControlStore;
import io.herald.core.control.ControlStoreException;
import io.herald.core.control.Pause;
import io.herald.core.control.PauseScope;
import io.herald.core.control.PauseTargets;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What pause and resume share: checking the name, and reaching the control store with a one-line error. */
final class ControlCommands {

    interface Action {
        void run(ControlStore store);
    }

    private ControlCommands() {}

    /** @return the scope, or null after printing why it names nothing Herald knows */
    static PauseScope scope(PauseScopeOption option, PrintWriter err) {
        if (option == null || (option.channel == null) == (option.provider == null)) {
            err.println("herald: name exactly one of --channel and --provider");
            err.flush();
            return null;
        }
        PauseScope scope;
        try {
            scope = option.scope();
        } catch (IllegalArgumentException e) {
            err.println("herald: " + e.getMessage());
            err.flush();
            return null;
        }
        Optional<String> problem = PauseTargets.problem(scope);
        if (problem.isPresent()) {
            err.println("herald: " + problem.get());
            err.flush();
            return null;
        }
        return scope;
    }

    /** @param local whether --local pointed the command at a running {@code herald local} */
    static int withStore(HeraldConfig cfg, boolean local, PrintWriter err, Action action) {
        try (StatusStores stores = StatusStores.open(cfg, false, Clock.systemUTC())) {
            action.run(stores.control());
            return 0;
        } catch (ControlStoreException e) {
            err.println("herald: " + e.getMessage()
                    + (local
                            ? " (is `herald local` running? it prints its addresses when it starts)"
                            : " (is status.endpoint / " + ConfigLoader.environmentVariable("status.endpoint")
                                    + " right, and table " + cfg.status().table() + " there?)"));
            err.flush();
            return 1;
        }
    }

    /** The {@code --json} shape: the same as the API's {@code /v1/admin/pauses} answer. */
    record PauseJson(String scope, String name, String since, String by, String reason) {}

    static Map<String, List<PauseJson>> json(List<Pause> pauses) {
        return Map.of(
                "pauses",
                pauses.stream()
                        .map(p -> new PauseJson(
                                p.scope().kind().label(),
                                p.scope().name(),
                                p.since().toString(),
                                p.by(),
                                p.reason()))
                        .toList());
    }
}
