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
 * gobler's per-user cap (maxMsgPU), without gobler's losses: a user gets at most {@code max} notifications in any
 * sliding window; what comes over the cap is held and later folded into one digest, which itself counts as one
 * notification and goes out as soon as the window has room. Nothing is dropped. Once a user has notifications held, new
 * ones join them rather than overtaking them, so the order users see stays the order Slurm reported.
 *
 * <p>It also holds what a user wants later ({@link #holdUntil}: quiet hours, an hourly or daily digest), released as
 * one digest at that time.
 *
 * <p>State is in memory: after a restart the held records are still in the spool and go through the throttle again,
 * which may send a few of them individually. That errs on the side of telling. What waits for a user's time is held
 * again (their preferences are asked again, at the record's capture time), so it still goes as one digest when that
 * time comes, and a record read only after that time (a cron flush in the morning) joins its user's digest of that
 * kind, which is due at once. A digest goes to the receivers each held notification was routed to when it came.
 */
public final class Throttle {

    /**
     * One user's held notifications, released together.
     *
     * @param user whom they are for
     * @param why why they were held, for the digest's text; null: over the cap
     */
    public record Due(String key, List<Held> held, String user, String why) {
        public Due {
            held = java.util.Collections.unmodifiableList(new ArrayList<>(held));
        }

        public Due(String key, List<Held> held) {
            this(key, held, key, null);
        }
    }

    /** A hold released at a set time rather than when the window has room. */
    private record Release(Instant at, String user, String why) {}

    private final int max;
    private final Duration window;
    private final Map<String, Deque<Instant>> sent = new HashMap<>();
    private final Map<String, List<Held>> held = new LinkedHashMap<>();
    private final Map<String, Release> releases = new HashMap<>();

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

    /**
     * Holds until a set time whatever the window: a user's quiet hours, or the hourly or daily digest they chose.
     * Everything held under one {@code kind} for a user goes out as one digest then (the earliest release time wins);
     * each kind is held apart, so an hourly digest does not take the daily one along. It does not count against the
     * cap.
     *
     * @param why the sentence the digest gives as the reason
     */
    public synchronized void holdUntil(String user, String kind, Held item, Instant until, String why) {
        String key = "hold:" + kind + ":" + user;
        held.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
        releases.merge(key, new Release(until, user, why), (a, b) -> a.at().isAfter(b.at()) ? b : a);
    }

    /** Digests whose user has room in the window again, or whose time came; each is counted as one notification. */
    public synchronized List<Due> due(Instant now) {
        List<Due> out = new ArrayList<>();
        for (var it = held.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            Release release = releases.get(entry.getKey());
            if (release != null) {
                if (!now.isBefore(release.at())) {
                    out.add(new Due(entry.getKey(), entry.getValue(), release.user(), release.why()));
                    releases.remove(entry.getKey());
                    it.remove();
                }
                continue;
            }
            Deque<Instant> times = recent(entry.getKey(), now);
            if (times.size() < max) {
                times.addLast(now);
                out.add(new Due(entry.getKey(), entry.getValue()));
                it.remove();
            }
        }
        return out;
    }

    /**
     * Every notification held over the cap now, window or not (the end of a one-pass flush), and those held until a
     * time that came. Those held for a later time stay: their records stay in the spool, and the next pass (a later
     * flush) holds or sends them as the user's choice says then.
     */
    public synchronized List<Due> drain(Instant now) {
        List<Due> out = new ArrayList<>(due(now));
        for (var it = held.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (releases.containsKey(entry.getKey())) {
                continue;
            }
            recent(entry.getKey(), now).addLast(now);
            out.add(new Due(entry.getKey(), entry.getValue()));
            it.remove();
        }
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
