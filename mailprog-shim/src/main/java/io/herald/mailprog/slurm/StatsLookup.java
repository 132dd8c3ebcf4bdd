package io.herald.mailprog.slurm;

import java.util.Optional;

/**
 * What asking accounting about a job came to. Kept apart from "no statistics" so a message can say why it has none: a
 * user who sees no figures should know whether accounting failed or the site has none.
 */
public sealed interface StatsLookup {

    /** Accounting answered with the job's row. */
    record Found(JobStats found) implements StatsLookup {}

    /** sacct never answered (slurmdbd down, sacct failed or timed out); {@code reason} is short and says why. */
    record Unavailable(String reason) implements StatsLookup {}

    /** Accounting answered but has no row for the job (yet). */
    record NotKnown() implements StatsLookup {}

    /** Nothing was asked: no sacct configured, or an id that must not reach a command line. */
    record NotAsked() implements StatsLookup {}

    default Optional<JobStats> stats() {
        return this instanceof Found(JobStats s) ? Optional.of(s) : Optional.empty();
    }

    static StatsLookup of(Optional<JobStats> stats) {
        return stats.<StatsLookup>map(Found::new).orElseGet(NotKnown::new);
    }
}
