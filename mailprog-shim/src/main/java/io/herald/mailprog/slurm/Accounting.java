package io.herald.mailprog.slurm;

import java.util.Optional;

/** Where job statistics come from: sacct, or nothing when none is configured. */
@FunctionalInterface
public interface Accounting {

    /** @return what accounting knows, once it shows the state this mail implies; empty when it has nothing */
    Optional<JobStats> statsFor(JobEvent event);

    Accounting NONE = event -> Optional.empty();
}
