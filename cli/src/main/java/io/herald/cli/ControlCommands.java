package io.herald.cli;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.control.ControlStore;
import io.herald.core.control.ControlStoreException;
import io.herald.core.control.PauseScope;
import io.herald.core.control.PauseTargets;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;

/** What pause and resume share: checking the name, and reaching the control store with a one-line error. */
final class ControlCommands {

    interface Action {
        void run(ControlStore store);
    }

    private ControlCommands() {
    }

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

    static int withStore(HeraldConfig cfg, PrintWriter err, Action action) {
        try (StatusStores stores = StatusStores.open(cfg, false, Clock.systemUTC())) {
            action.run(stores.control());
            return 0;
        } catch (ControlStoreException e) {
            err.println("herald: " + e.getMessage() + " (is status.endpoint / "
                    + ConfigLoader.environmentVariable("status.endpoint") + " right, and table " + cfg.status().table()
                    + " there?)");
            err.flush();
            return 1;
        }
    }
}
