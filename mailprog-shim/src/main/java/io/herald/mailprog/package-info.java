/**
 * The Slurm side of Herald: {@code herald-mailprog}, the capture script slurmctld runs as its MailProg (src/main/sh),
 * and the forwarder that turns captured invocations into envelopes on SQS. The contract it honours is
 * {@code shared/slurm/CONTRACT.md}.
 *
 * <ul>
 *   <li>{@code spool} — the record format the script writes and the directory protocol around it
 *   <li>{@code slurm} — what a record says: mail type, job facts from the environment and the (anchored) subject,
 *       statistics from sacct
 *   <li>{@code message} — notification text, facts and hints
 *   <li>{@code route} — --mail-user to receivers, allow-lists and Telegram registration
 *   <li>{@code throttle} — per-user caps that fold the excess into digests
 *   <li>{@code forward} — spool to SQS, with retries while SQS is away
 *   <li>{@code telegram} — the bot that tells a chat its --mail-user
 *   <li>{@code goslmailer} — reading a goslmailer config for sites that switch
 * </ul>
 */
package io.herald.mailprog;
