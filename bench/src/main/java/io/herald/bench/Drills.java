package io.herald.bench;

import java.util.List;
import java.util.Optional;

/**
 * Every drill the harness knows, in the order {@code ./herald bench all} runs them. Adding a
 * drill is one line here.
 */
public final class Drills {

    private final List<Drill> drills;

    public Drills(List<Drill> drills) {
        this.drills = List.copyOf(drills);
    }

    /** The drills that ship with Herald, in their fixed order for {@code bench all}. */
    public static Drills standard() {
        return new Drills(List.of(
                new PipelineDrill(),
                new FailoverDrill(),
                new CrashDrill(),
                new ServeCrashDrill(),
                new ApiDrill(),
                new MailprogDrill(),
                new FuzzDrill(),
                new StartupDrill()
        ));
    }

    public List<Drill> all() {
        return drills;
    }

    public Optional<Drill> named(String name) {
        return drills.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
