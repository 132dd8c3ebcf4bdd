package io.herald.mailprog.throttle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * gobler's per-user cap (maxMsgPU), without gobler's losses: a user gets at most {@code max}
 * notifications in any sliding window; what comes over the cap is held and later folded into one
 * digest, which itself counts as one notification and goes out as soon as the window has room.
 * Nothing is dropped. Once a user has notifications held, new ones join them rather than
 * overtaking them, so the order users see stays the order Slurm reported.
 *
 * <p>State is in memory: after a restart the held records are still in the spool and go through
 * the throttle again, which may send a few of them individually. That errs on the side of telling.
 */
public final class Throttle {

    /** One user's held notifications, released together. */
    public record Due(String key, List<Held> held) {
        public Due {
            held = java.util.Collections.unmodifiableList(new ArrayList<>(held));
        }
    }

    private final int max;
    private final Duration window;
    private final Map<String, Deque<Instant>> sent = new HashMap<>();
    private final Map<String, List<Held>> held = new LinkedHashMap<>();

    /** @param max notifications per key per window; 0 or less disables the cap */
    public Throttle(int max, Duration window) {
        this.max = max;
        this.window = window;
    }

    /** @return true when a notification for {@code key} may go out now (and counts it), false when it must be held */
    public synchronized boolean tryAdmit(String key, Instant now) {
        if (max <= 0) {
            return true;
        }
        if (held.containsKey(key)) {
            return false;
        }
        Deque<Instant> times = recent(key, now);
        if (times.size() < max) {
            times.addLast(now);
            return true;
        }
        return false;
    }

    public synchronized void hold(String key, Held item) {
        held.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
    }

    /** Digests whose user has room in the window again; each is counted as one notification. */
    public synchronized List<Due> due(Instant now) {
        List<Due> out = new ArrayList<>();
        for (var it = held.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            Deque<Instant> times = recent(entry.getKey(), now);
            if (times.size() < max) {
                times.addLast(now);
                out.add(new Due(entry.getKey(), entry.getValue()));
                it.remove();
            }
        }
        return out;
    }

    /** Every held notification now, window or not: the end of a one-pass flush, or shutdown. */
    public synchronized List<Due> drain(Instant now) {
        List<Due> out = new ArrayList<>();
        held.forEach((key, items) -> {
            recent(key, now).addLast(now);
            out.add(new Due(key, items));
        });
        held.clear();
        return out;
    }

    public synchronized int heldCount() {
        return held.values().stream().mapToInt(List::size).sum();
    }

    private Deque<Instant> recent(String key, Instant now) {
        Deque<Instant> times = sent.computeIfAbsent(key, k -> new ArrayDeque<>());
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
        return times;
    }
}
