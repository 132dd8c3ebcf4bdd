package io.herald.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every id enqueued checked against every id a provider accepted. A message not delivered is either still on a queue
 * (late, when a drill stops waiting) or lost: gone without a delivery.
 *
 * @param stillQueued messages still on the queue or its dead-letter queue when the drill stopped
 * @param lost undelivered messages that are not on either queue
 * @param strangers deliveries of ids never enqueued
 * @param undeliveredSample up to five undelivered ids, to look up
 */
record Ledger(
        int sent,
        int delivered,
        int stillQueued,
        int lost,
        int duplicates,
        int strangers,
        List<String> undeliveredSample) {

    static Ledger of(Set<String> sent, List<String> accepted, int stillQueued) {
        Set<String> distinct = new HashSet<>(accepted);
        int delivered = (int) sent.stream().filter(distinct::contains).count();
        List<String> undelivered =
                sent.stream().filter(id -> !distinct.contains(id)).sorted().toList();
        int strangers = (int) distinct.stream().filter(id -> !sent.contains(id)).count();
        return new Ledger(
                sent.size(),
                delivered,
                stillQueued,
                Math.max(0, undelivered.size() - stillQueued),
                accepted.size() - distinct.size(),
                strangers,
                undelivered.subList(0, Math.min(5, undelivered.size())));
    }

    int undelivered() {
        return sent - delivered;
    }

    /** Broken invariants, one sentence each. */
    List<String> violations() {
        List<String> out = new ArrayList<>();
        if (lost > 0) {
            out.add("lost " + lost + " of " + sent + " messages: not delivered and not on any queue (e.g. "
                    + String.join(", ", undeliveredSample) + ")");
        }
        if (stillQueued > 0) {
            out.add(stillQueued
                    + " messages still queued when the drill stopped waiting (not lost; the pipeline was too "
                    + "slow on this machine for the drill's limit)");
        }
        if (strangers > 0) {
            out.add(strangers + " deliveries carried an id that was never enqueued");
        }
        return out;
    }
}
