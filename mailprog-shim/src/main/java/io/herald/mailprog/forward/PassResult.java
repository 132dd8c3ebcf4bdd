package io.herald.mailprog.forward;

import java.time.Duration;

/**
 * What one forwarder pass did.
 *
 * @param delivered  spool records whose every envelope SQS acknowledged (now removed)
 * @param failed     records moved to failed/ (with their reason)
 * @param held       notifications waiting to be folded into a digest
 * @param waiting    records still waiting for SQS
 * @param retryIn    when SQS is retried, if it failed; zero otherwise
 */
public record PassResult(int delivered, int failed, int held, int waiting, Duration retryIn) {
}
