package io.herald.mailprog.route;

import io.herald.core.preferences.Digest;
import io.herald.core.preferences.EventKind;
import io.herald.core.preferences.PreferencesCodec;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.preferences.PreferencesStoreException;
import io.herald.core.preferences.QuietHours;
import io.herald.core.preferences.UserPreferences;
import io.herald.core.receiver.Receiver;
import io.herald.mailprog.slurm.JobEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a job event goes, the user's preferences considered. A bare --mail-user (Slurm's default: the user name, with
 * Slurm's MailDomain when it has one, or nothing) follows the preferences of the job's owner when they have some: their
 * receivers for this kind of event, nothing from a muted cluster or partition. Explicit {@code scheme:target} receivers
 * are honoured as written. The owner is SLURM_JOB_USER as captured: slurmctld, authenticated by munge, vouches for it,
 * so nobody can route another user's jobs through their own preferences.
 *
 * <p>Receivers from preferences pass the same allow-lists and Telegram registration as --mail-user's; when none of them
 * may be used, the owner's default receiver is used instead, told why, as for a --mail-user whose items are all
 * refused. In the owner's quiet hours (unless the kind breaks through), and for kinds they want as an hourly or daily
 * digest, the decision says until when to hold it; the forwarder holds it in the throttle, its record in the spool.
 */
public final class PreferenceRouting {

    /** What to do with one event. */
    public sealed interface Decision permits Deliver, Silenced {}

    /**
     * @param routed the receivers, and what was not used and why
     * @param byPreferences the receivers come from the owner's preferences
     * @param hold when the owner wants it later, folded into a digest; empty: now
     */
    public record Deliver(Routing.Routed routed, boolean byPreferences, Optional<Hold> hold) implements Decision {
        public Deliver(Routing.Routed routed, boolean byPreferences) {
            this(routed, byPreferences, Optional.empty());
        }
    }

    /**
     * Held for a digest.
     *
     * @param kind what holds it: {@code quiet}, {@code hourly} or {@code daily} (each is its own digest)
     * @param until when the digest goes out
     * @param why the sentence the digest gives as the reason
     */
    public record Hold(String kind, Instant until, String why) {}

    /** The owner's preferences say this event is not to be sent; {@code reason} says which choice. */
    public record Silenced(String reason) implements Decision {}

    /** Users a forwarder remembers at most; beyond it the memory starts over (a cluster has fewer). */
    static final int MAX_CACHED_USERS = 10_000;
    /** After the store failed, how long events wait without asking it again. */
    static final Duration STORE_RETRY = Duration.ofSeconds(5);

    private record Cached(Optional<UserPreferences> preferences, Instant readAt) {}

    private final Routing routing;
    private final Optional<PreferencesStore> store;
    private final String mailDomain;
    private final Duration cacheFor;
    private final Clock clock;
    private final ZoneId digestZone;
    private final Map<String, Cached> cache = new HashMap<>();
    private Instant storeDownUntil = Instant.MIN;
    private PreferencesStoreException storeDown;

    /**
     * @param store users' preferences; empty: every event is routed by --mail-user alone
     * @param mailDomain Herald's mailprog.mailDomain, which should be Slurm's MailDomain: {@code user@domain} is then
     *     recognised as Slurm's default too
     * @param cacheFor how long preferences read are used before reading them again
     * @param digestZone where a day and an hour start for users' digests, unless their quiet hours name a zone
     */
    public PreferenceRouting(
            Routing routing,
            Optional<PreferencesStore> store,
            String mailDomain,
            Duration cacheFor,
            Clock clock,
            ZoneId digestZone) {
        this.routing = routing;
        this.store = store;
        this.mailDomain = mailDomain == null ? "" : mailDomain.strip();
        this.cacheFor = cacheFor;
        this.clock = clock;
        this.digestZone = digestZone;
    }

    /**
     * @throws PreferencesStoreException when the owner's preferences cannot be read now and none were read before; the
     *     caller keeps the event and tries again, rather than guess
     */
    public Decision route(JobEvent event) {
        return route(event, clock.instant());
    }

    /**
     * @param capturedAt when the event was captured: quiet hours and digests are judged at that time, so a record read
     *     after its hold ended is still held, until then, and joins its digest
     * @throws PreferencesStoreException as {@link #route(JobEvent)}
     */
    public Decision route(JobEvent event, Instant capturedAt) {
        String user = event.user() == null ? null : event.user().strip();
        if (store.isPresent()
                && user != null
                && PreferencesCodec.userProblem(user) == null
                && isSlurmDefault(event.mailUser(), user)) {
            Optional<UserPreferences> prefs = preferencesOf(user);
            if (prefs.isPresent()) {
                return follow(prefs.get(), event, capturedAt);
            }
        }
        return new Deliver(routing.routeOrDefault(event.mailUser(), event.user()), false);
    }

    /** The kind of event as preferences name it: an array's summary apart from a single job's END or FAIL. */
    static EventKind kindOf(JobEvent event) {
        return event.arraySummary()
                ? EventKind.ARRAY_SUMMARY
                : EventKind.valueOf(event.mailType().name());
    }

    private Decision follow(UserPreferences prefs, JobEvent event, Instant capturedAt) {
        Optional<String> muted = prefs.mute().reason(event.cluster(), event.partition());
        if (muted.isPresent()) {
            return new Silenced("muted by " + prefs.user() + "'s preferences: " + muted.get());
        }
        EventKind kind = kindOf(event);
        List<Receiver> receivers = prefs.receiversFor(kind);
        if (receivers.isEmpty()) {
            return new Silenced(prefs.user() + "'s preferences send no " + kind + " notifications");
        }
        Routing.Routed routed = routing.check(receivers, List.of(), prefs.user());
        if (!routed.receivers().isEmpty()) {
            return new Deliver(routed, true, hold(prefs, kind, capturedAt));
        }
        // As for a --mail-user whose every item is refused: the owner still hears, at their default receiver.
        Routing.Routed fallback = routing.route(prefs.user(), prefs.user());
        List<String> problems = new ArrayList<>();
        routed.problems().forEach(p -> problems.add("preferences: " + p));
        fallback.problems().forEach(p -> problems.add("default receiver '" + prefs.user() + "': " + p));
        return new Deliver(new Routing.Routed(fallback.receivers(), problems, true), true);
    }

    /** Quiet hours first (their digest comes when they end), then the digest the user chose for the kind. */
    private Optional<Hold> hold(UserPreferences prefs, EventKind kind, Instant now) {
        QuietHours quiet = prefs.quietHours();
        if (quiet != null && quiet.holds(kind, now)) {
            String through =
                    quiet.breakThrough().stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
            return Optional.of(new Hold(
                    "quiet",
                    quiet.endAfter(now),
                    "These came during your quiet hours ("
                            + quiet.from() + "-" + quiet.to() + " "
                            + quiet.zone().getId() + ") and are summed up here"
                            + (through.isEmpty() ? "." : "; " + through + " notifications reach you at once.")));
        }
        Digest digest = prefs.digestFor(kind);
        if (digest == Digest.IMMEDIATE) {
            return Optional.empty();
        }
        ZonedDateTime local = now.atZone(quiet != null ? quiet.zone() : digestZone);
        ZonedDateTime until = digest == Digest.HOURLY
                ? local.truncatedTo(ChronoUnit.HOURS).plusHours(1)
                : local.toLocalDate().plusDays(1).atStartOfDay(local.getZone());
        return Optional.of(new Hold(
                digest.label(),
                until.toInstant(),
                "You chose to get these notifications as " + (digest == Digest.HOURLY ? "an hourly" : "a daily")
                        + " digest."));
    }

    /** Slurm's own --mail-user when the user gave none: the name, or name@MailDomain, or nothing at all. */
    private boolean isSlurmDefault(String mailUser, String user) {
        if (mailUser == null || mailUser.isBlank()) {
            return true;
        }
        String m = mailUser.strip();
        return m.equals(user) || !mailDomain.isEmpty() && m.equalsIgnoreCase(user + "@" + mailDomain);
    }

    private synchronized Optional<UserPreferences> preferencesOf(String user) {
        Instant now = clock.instant();
        Cached cached = cache.get(user);
        if (cached != null && now.isBefore(cached.readAt().plus(cacheFor))) {
            return cached.preferences();
        }
        if (now.isBefore(storeDownUntil)) {
            if (cached != null) {
                return cached.preferences();
            }
            throw storeDown;
        }
        Optional<UserPreferences> read;
        try {
            read = store.orElseThrow().find(user);
        } catch (PreferencesStoreException e) {
            // Not every record of a pass waits for the store's timeout: the next ones fail at once for a while.
            storeDown = e;
            storeDownUntil = now.plus(STORE_RETRY);
            if (cached != null) {
                // What the user chose a little while ago beats both guessing and waiting.
                return cached.preferences();
            }
            throw e;
        }
        if (cache.size() >= MAX_CACHED_USERS) {
            cache.clear();
        }
        cache.put(user, new Cached(read, now));
        return read;
    }
}
