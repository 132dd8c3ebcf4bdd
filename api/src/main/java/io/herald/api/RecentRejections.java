package io.herald.api;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The receivers this API instance refused most recently (unknown scheme, malformed address), for the operations
 * overview. Kept in memory, bounded, per instance: refused receivers were never queued, so nothing else records them.
 * Rejections by a provider are dead-lettered by the pipeline and show among the dead letters instead.
 */
final class RecentRejections {

    /** Long receivers are cut, so one odd request cannot fill the overview. */
    private static final int MAX_RECEIVER_CHARS = 200;
    /** Reasons quote the receiver; bounded too, so an entry is at most a few hundred characters. */
    private static final int MAX_REASON_CHARS = 300;

    /** @param channel null: a refused receiver never got as far as having a channel */
    record Rejection(Instant at, String channel, String receiver, String reason) {}

    private final int capacity;
    private final Clock clock;
    private final Deque<Rejection> newestFirst = new ArrayDeque<>();

    RecentRejections(int capacity, Clock clock) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    /** @param receiver the item of {@code to} as the client wrote it */
    synchronized void refused(String receiver, String reason) {
        String item = receiver.strip();
        String shown = item.isEmpty()
                ? "(empty)"
                : item.length() > MAX_RECEIVER_CHARS ? item.substring(0, MAX_RECEIVER_CHARS) + "..." : item;
        String why = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "..." : reason;
        newestFirst.addFirst(new Rejection(clock.instant(), null, shown, why));
        while (newestFirst.size() > capacity) {
            newestFirst.removeLast();
        }
    }

    synchronized List<Rejection> newestFirst() {
        return new ArrayList<>(newestFirst);
    }
}
