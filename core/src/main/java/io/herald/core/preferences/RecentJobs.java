package io.herald.core.preferences;

import java.time.Instant;
import java.util.List;

/**
 * The notifications the forwarder sent about each user's jobs, newest first and bounded: what the job bot's
 * {@code /jobs} and {@code /last} answer from, so the bot never asks Slurm. The delivery state of each notification is
 * in the status table under its message id. A store that cannot be reached throws {@link PreferencesStoreException}.
 */
public interface RecentJobs {

    /** How many notices are kept per user; older ones drop off. */
    int KEEP = 20;

    /**
     * One notification about one job event.
     *
     * @param jobId the id users see ({@code 4243300_7} for an array task)
     * @param name the job name, or null
     * @param event the mail type as Slurm names it ({@code END}, {@code FAIL}, …)
     * @param state the job state Slurm reported, or null
     * @param at when the forwarder put it on SQS
     * @param digest null when sent on its own, else what folded it ({@code quiet}, {@code hourly}, {@code daily}, or
     *     {@code cap} for the throttle's digest)
     * @param sent the envelopes made from it, one per receiver
     */
    record JobNotice(
            String jobId,
            String name,
            String cluster,
            String event,
            String state,
            Instant at,
            String digest,
            List<Sent> sent) {
        public JobNotice {
            sent = List.copyOf(sent);
        }
    }

    /** One envelope: its message id (the status table's key) and where it went. */
    record Sent(String messageId, String receiver) {}

    /** Adds notices (oldest first) to the user's list; the list keeps the newest {@link #KEEP}. */
    void add(String user, List<JobNotice> notices);

    /** The user's notices, newest first. */
    List<JobNotice> recent(String user);
}
