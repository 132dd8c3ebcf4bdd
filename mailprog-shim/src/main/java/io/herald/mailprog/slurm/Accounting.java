package io.herald.mailprog.slurm;

import java.util.Optional;

/** Where job statistics come from: sacct, or nothing when none is configured. */
@FunctionalInterface
public interface Accounting {

    /** @return what accounting knows, once it shows the state this mail implies, or why it knows nothing */
    StatsLookup lookup(JobEvent event);

    /** @return what accounting knows; empty when it has nothing, whatever the reason */
    default Optional<JobStats> statsFor(JobEvent event) {
        return lookup(event).stats();
    }

    Accounting NONE = event -> new StatsLookup.NotAsked();
}
