package io.herald.bench;

import java.util.List;
import java.util.Optional;

/**
 * Every drill the harness knows: those {@code ./herald bench all} runs, in its order, and those run only by name (too
 * long for {@code all}). Adding a drill is one line here.
 */
public final class Drills {

    private final List<Drill> drills;
    private final List<Drill> byNameOnly;

    public Drills(List<Drill> drills) {
        this(drills, List.of());
    }

    public Drills(List<Drill> drills, List<Drill> byNameOnly) {
        this.drills = List.copyOf(drills);
        this.byNameOnly = List.copyOf(byNameOnly);
    }

    /** The drills that ship with Herald, in their fixed order for {@code bench all}. */
    public static Drills standard() {
        return new Drills(
                List.of(
                        new PipelineDrill(),
                        new FailoverDrill(),
                        new FeedbackDrill(),
                        new CrashDrill(),
                        new ServeCrashDrill(),
                        new ApiDrill(),
                        new MailprogDrill(),
                        new FuzzDrill(),
                        new StartupDrill()),
                List.of(new SoakDrill()));
    }

    /** The drills of {@code bench all}, in its order. */
    public List<Drill> all() {
        return drills;
    }

    /** The drills run only by name. */
    public List<Drill> byNameOnly() {
        return byNameOnly;
    }

    public Optional<Drill> named(String name) {
        return java.util.stream.Stream.concat(drills.stream(), byNameOnly.stream())
                .filter(d -> d.name().equals(name))
                .findFirst();
    }
}
