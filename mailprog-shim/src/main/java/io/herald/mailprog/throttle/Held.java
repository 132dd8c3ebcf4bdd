package io.herald.mailprog.throttle;

import io.herald.core.receiver.Receiver;
import io.herald.mailprog.slurm.JobEvent;
import java.time.Instant;
import java.util.List;

/**
 * A notification over its user's cap, waiting (still in the spool) to be folded into a digest.
 *
 * @param file the spool record it came from; removed only once the digest is on SQS
 * @param event the job event
 * @param receivers where it would have gone
 * @param capturedAt when slurmctld reported it
 */
public record Held(String file, JobEvent event, List<Receiver> receivers, Instant capturedAt) {
    public Held {
        receivers = List.copyOf(receivers);
    }
}
