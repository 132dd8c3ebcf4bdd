package io.herald.mailprog.forward;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one forwarder pass did.
 *
 * @param delivered spool records whose every envelope SQS acknowledged (now removed)
 * @param failed records moved to failed/ (with their reason)
 * @param held notifications waiting to be folded into a digest
 * @param waiting records still waiting for SQS
 * @param unsent records this pass tried to put on SQS and could not (they wait and are retried); 0 when the pass did
 *     not try (SQS was being backed off from) or everything got through
 * @param retryIn when SQS is retried, if it failed; zero otherwise
 * @param sqsTrouble why SQS did not take notifications (its error code, e.g. QueueDoesNotExist), while it does not
 * @param errors problems with the spool itself (a directory that cannot be listed, a record that cannot be read or
 *     moved): the pass could not do all of its work
 * @param muted records removed unsent because their owner's preferences silence them (a muted cluster or partition, or
 *     a kind of event they chose to hear nothing of)
 */
public record PassResult(
        int delivered,
        int failed,
        int held,
        int waiting,
        int unsent,
        Duration retryIn,
        Optional<String> sqsTrouble,
        List<String> errors,
        int muted) {

    public PassResult {
        errors = List.copyOf(errors);
    }

    /** A pass that silenced nothing. */
    public PassResult(
            int delivered,
            int failed,
            int held,
            int waiting,
            int unsent,
            Duration retryIn,
            Optional<String> sqsTrouble,
            List<String> errors) {
        this(delivered, failed, held, waiting, unsent, retryIn, sqsTrouble, errors, 0);
    }
}
