/**
 * The Slurm side of Herald: {@code herald-mailprog}, the capture script slurmctld runs as its
 * MailProg, and the forwarder that turns captured invocations into envelopes on SQS.
 * The contract it honours is {@code shared/slurm/CONTRACT.md}; the module is empty until that
 * work lands, and depends on core only.
 */
package io.herald.mailprog;
