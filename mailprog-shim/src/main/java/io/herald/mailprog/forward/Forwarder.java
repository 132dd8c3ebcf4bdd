package io.herald.mailprog.forward;

import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.Sender;
import io.herald.core.preferences.PreferencesStoreException;
import io.herald.core.preferences.RecentJobs;
import io.herald.core.receiver.Receiver;
import io.herald.core.retry.Backoff;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.unsubscribe.Categories;
import io.herald.mailprog.message.JobMessage;
import io.herald.mailprog.message.MessageComposer;
import io.herald.mailprog.route.ChatLinking;
import io.herald.mailprog.route.PreferenceRouting;
import io.herald.mailprog.route.Routing;
import io.herald.mailprog.slurm.Accounting;
import io.herald.mailprog.slurm.JobEvent;
import io.herald.mailprog.slurm.JobEventParser;
import io.herald.mailprog.slurm.MailType;
import io.herald.mailprog.slurm.StatsLookup;
import io.herald.mailprog.slurm.UnusableEventException;
import io.herald.mailprog.spool.Spool;
import io.herald.mailprog.spool.SpoolRecord;
import io.herald.mailprog.spool.UnreadableRecordException;
import io.herald.mailprog.throttle.DigestComposer;
import io.herald.mailprog.throttle.Held;
import io.herald.mailprog.throttle.Throttle;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool onto SQS, one pass at a time.
 *
 * <p>Each record becomes one envelope per receiver. Envelopes of many records go out together (SendMessageBatch, 10 per
 * request), and a record is removed only when SQS has acknowledged every envelope made from it. Until then it stays in
 * the spool: while SQS is unreachable nothing is lost, and what was acknowledged is not sent again (the unacknowledged
 * envelopes are retried with their ids, after a growing pause). Records that can never be sent move to failed/ with the
 * reason beside them. Over a user's cap, records wait in the spool for their digest. Time-limit warnings of one job
 * captured together become one message (their records leave together).
 */
public final class Forwarder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    /** SQS error codes that blame the message itself; see {@link #blamesTheRecord}. */
    private static final Set<String> RECORD_FAULT_CODES = Set.of(
            EnqueueResult.MESSAGE_TOO_LARGE,
            "InvalidMessageContents",
            "InvalidParameterValue",
            "InvalidAttributeName",
            "InvalidAttributeValue");

    /** Envelopes still owed to SQS for a set of spool records (one record, or all a digest folds). */
    private static final class Batch {
        final List<String> files;
        final List<Envelope> unacked;
        final List<String> permanentFailures = new ArrayList<>();
        /** What the owners' job bot lists once SQS has all of it (see {@link RecentJobs}). */
        final List<Noted> notes;

        Batch(List<String> files, List<Envelope> envelopes) {
            this(files, envelopes, List.of());
        }

        Batch(List<String> files, List<Envelope> envelopes, List<Noted> notes) {
            this.files = List.copyOf(files);
            this.unacked = new ArrayList<>(envelopes);
            this.notes = List.copyOf(notes);
        }
    }

    /** A notice for a user's recent jobs. */
    private record Noted(String user, RecentJobs.JobNotice notice) {}

    private sealed interface Prepared {}

    private record Ready(List<String> files, List<Envelope> envelopes, List<Noted> notes) implements Prepared {}

    private record Refused(List<String> files, String reason) implements Prepared {}

    /**
     * A record to compose, with the files of earlier time-limit warnings folded into it.
     *
     * @param files the record's file first, then those of the warnings it folds
     * @param folded the mail types of the warnings it folds, lowest first
     */
    private record Admitted(
            List<String> files,
            JobEvent event,
            List<Receiver> receivers,
            List<String> problems,
            List<MailType> folded) {}

    /** A parsed record, before routing. */
    private record Parsed(String file, JobEvent event, Instant capturedAt) {}

    /**
     * Slurm checks time limits every 30 s, so a short job's 50/80/90/100 % warnings are captured within milliseconds;
     * they would reach the user in any order (SQS and the pipeline do not keep order). A warning this young waits one
     * pass for its siblings, and those of one job are folded.
     */
    private static final Duration WARNING_SETTLE = Duration.ofSeconds(1);

    private final Spool spool;
    private final JobEventParser parser;
    private final PreferenceRouting routing;
    private final Accounting accounting;
    private final MessageComposer composer;
    private final Throttle throttle;
    private final DigestComposer digests;
    private final EnvelopeSink sink;
    private final Optional<Sender> sender;
    private final Clock clock;
    private final int concurrency;
    private final Duration retryMin;
    private final Duration retryMax;
    private final ChatLinking linking;
    private final Optional<RecentJobs> recentJobs;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    private final Map<String, Batch> pending = new LinkedHashMap<>();
    private final Set<String> claimed = new HashSet<>();
    private final List<String> errors = new ArrayList<>();
    /** Records of this pass removed unsent because their owner's preferences silence them. */
    private int muted;

    private String sqsTrouble;
    /** Passes in a row that SQS did not take what was sent; 0 while it does. */
    private int sqsFailures;

    private final Backoff retries;
    private Instant nextAttempt = Instant.MIN;
    private int digestCounter;
    private int linkCounter;

    public Forwarder(
            Spool spool,
            JobEventParser parser,
            PreferenceRouting routing,
            Accounting accounting,
            MessageComposer composer,
            Throttle throttle,
            DigestComposer digests,
            EnvelopeSink sink,
            Optional<Sender> sender,
            Clock clock,
            int concurrency,
            Duration retryMin,
            Duration retryMax) {
        this(
                spool,
                parser,
                routing,
                accounting,
                composer,
                throttle,
                digests,
                sink,
                sender,
                clock,
                concurrency,
                retryMin,
                retryMax,
                new ChatLinking(Optional.empty()),
                Optional.empty());
    }

    /**
     * @param linking redeems {@code link:CODE} items of --mail-user
     * @param recentJobs where each user's sent notifications are listed for the job bot; empty: nowhere
     */
    public Forwarder(
            Spool spool,
            JobEventParser parser,
            PreferenceRouting routing,
            Accounting accounting,
            MessageComposer composer,
            Throttle throttle,
            DigestComposer digests,
            EnvelopeSink sink,
            Optional<Sender> sender,
            Clock clock,
            int concurrency,
            Duration retryMin,
            Duration retryMax,
            ChatLinking linking,
            Optional<RecentJobs> recentJobs) {
        this.linking = linking;
        this.recentJobs = recentJobs;
        this.spool = spool;
        this.parser = parser;
        this.routing = routing;
        this.accounting = accounting;
        this.composer = composer;
        this.throttle = throttle;
        this.digests = digests;
        this.sink = sink;
        this.sender = sender;
        this.clock = clock;
        this.concurrency = Math.max(1, concurrency);
        this.retryMin = retryMin;
        this.retryMax = retryMax;
        this.retries = new Backoff(retryMin, retryMax);
    }

    /**
     * Reads new records, sends what is due and settles what SQS answered.
     *
     * @param drainHeld fold every held notification into its digest now (a one-shot flush), instead of waiting until
     *     the user's window has room
     */
    public synchronized PassResult pass(boolean drainHeld) {
        Instant now = clock.instant();
        errors.clear();
        muted = 0;
        int failed = 0;
        try {
            int abandoned = spool.sweepAbandoned(now);
            if (abandoned > 0) {
                log.warn("{} unfinished capture(s) in {}/tmp moved to failed/", abandoned, spool.root());
            }
            failed += abandoned;
        } catch (UncheckedIOException e) {
            log.warn("{}", e.getMessage());
            errors.add(e.getMessage());
        }
        if (now.isBefore(nextAttempt)) {
            // SQS failed recently: do not read more into memory, and do not hammer it.
            return new PassResult(
                    0,
                    failed,
                    throttle.heldCount(),
                    pending.size(),
                    0,
                    Duration.between(now, nextAttempt),
                    Optional.ofNullable(sqsTrouble),
                    errors);
        }
        failed += prepareNew(now, drainHeld);
        List<Throttle.Due> due = drainHeld ? throttle.drain(now) : throttle.due(now);
        for (Throttle.Due d : due) {
            try {
                queueDigest(d, now);
            } catch (RuntimeException | StackOverflowError e) {
                // A digest that cannot be composed must not stop every later pass: its records are set aside.
                for (Held h : d.held()) {
                    claimed.remove(h.file());
                    failed += fail(h.file(), "could not compose the digest for " + d.key() + ": " + describe(e));
                }
            }
        }
        int[] settled = sendPending();
        failed += settled[1];
        return new PassResult(
                settled[0],
                failed,
                throttle.heldCount(),
                pending.size(),
                settled[2],
                sqsFailures == 0 ? Duration.ZERO : Duration.between(now, nextAttempt),
                Optional.ofNullable(sqsTrouble),
                errors,
                muted);
    }

    /** When the next pass has something to do without new files: a retry, or a digest coming due. */
    public synchronized Duration retryIn() {
        Instant now = clock.instant();
        return now.isBefore(nextAttempt) ? Duration.between(now, nextAttempt) : Duration.ZERO;
    }

    private int prepareNew(Instant now, boolean drainHeld) {
        List<Path> files;
        try {
            files = spool.pending();
        } catch (UncheckedIOException e) {
            log.warn("{}", e.getMessage());
            errors.add(e.getMessage());
            return 0;
        }
        int failed = 0;
        List<Admitted> admitted = new ArrayList<>();
        Map<String, List<Parsed>> warnings = new LinkedHashMap<>();
        for (Path path : files) {
            String file = path.getFileName().toString();
            if (claimed.contains(file)) {
                continue;
            }
            try {
                Parsed parsed;
                try {
                    SpoolRecord record = spool.read(path);
                    parsed = new Parsed(file, parser.parse(record), record.capturedAt());
                } catch (UnreadableRecordException | UnusableEventException e) {
                    failed += fail(file, e.getMessage());
                    continue;
                } catch (UncheckedIOException e) {
                    // Unreadable right now (permissions, I/O): the file stays where it is for the next pass.
                    log.warn("{}", e.getMessage());
                    errors.add(e.getMessage());
                    continue;
                }
                if (isTimeLimitWarning(parsed.event())) {
                    Duration age = Duration.between(parsed.capturedAt(), now);
                    // A capture time far ahead of the clock (a skewed file server) must not hold a warning forever.
                    if (!drainHeld
                            && age.compareTo(WARNING_SETTLE) < 0
                            && age.compareTo(WARNING_SETTLE.negated()) > 0) {
                        continue;
                    }
                    parsed = unlink(parsed, now);
                    if (parsed == null) {
                        continue;
                    }
                    warnings.computeIfAbsent(
                                    throttleKey(parsed.event()) + " "
                                            + parsed.event().displayId(),
                                    k -> new ArrayList<>())
                            .add(parsed);
                    continue;
                }
                parsed = unlink(parsed, now);
                if (parsed != null) {
                    failed += admit(List.of(parsed), now, admitted);
                }
            } catch (RuntimeException | StackOverflowError e) {
                // Whatever one record does to the code (seen: an END_TIME beyond Instant's range), it
                // must not stop the records behind it: it is set aside with the reason, the pass goes on.
                claimed.remove(file);
                failed += fail(file, "could not turn this record into a notification: " + describe(e));
            }
        }
        for (List<Parsed> group : warnings.values()) {
            group.sort(java.util.Comparator.comparing((Parsed p) -> p.event().mailType()));
            try {
                failed += admit(group, now, admitted);
            } catch (RuntimeException | StackOverflowError e) {
                for (Parsed p : group) {
                    claimed.remove(p.file());
                    failed += fail(p.file(), "could not turn this record into a notification: " + describe(e));
                }
            }
        }
        for (Prepared p : prepareAll(admitted, now)) {
            switch (p) {
                case Ready(List<String> done, List<Envelope> envelopes, List<Noted> notes) ->
                    pending.put(done.getFirst(), new Batch(done, envelopes, notes));
                case Refused(List<String> refused, String reason) -> {
                    for (String file : refused) {
                        claimed.remove(file);
                        failed += fail(file, reason);
                    }
                }
            }
        }
        return failed;
    }

    /**
     * Redeems {@code link:CODE} items of the record's --mail-user (see {@link ChatLinking}) and queues what the chats
     * are told.
     *
     * @return the record with the rest of its --mail-user; null when nothing is left to do with it now (it had only
     *     link items and is removed, or the link store cannot be reached and it waits in new/)
     */
    private Parsed unlink(Parsed parsed, Instant now) {
        JobEvent event = parsed.event();
        if (!ChatLinking.mentionsLink(event.mailUser())) {
            return parsed;
        }
        ChatLinking.Outcome outcome;
        try {
            outcome = linking.take(event, now);
        } catch (PreferencesStoreException e) {
            log.warn(
                    "job {}: {}; its spool record waits in new/ and is tried again", event.displayId(), e.getMessage());
            errors.add(e.getMessage());
            return null;
        }
        outcome.refused().forEach(reason -> log.warn("{}", reason));
        outcome.linked()
                .forEach(chat -> log.info(
                        "job {}: {} linked to Unix user {}{}",
                        event.displayId(),
                        chat,
                        event.user(),
                        event.cluster() == null ? "" : " on cluster " + event.cluster()));
        List<Envelope> replies = new ArrayList<>();
        for (ChatLinking.ChatReply r : outcome.replies()) {
            Envelope e = Envelope.create(
                    r.channel(),
                    r.chatId(),
                    Content.of(r.title(), r.text()),
                    Origin.slurm(event.user(), event.cluster()),
                    now);
            replies.add(sender.map(e::withSender).orElse(e));
        }
        if (!replies.isEmpty()) {
            pending.put("link-" + (++linkCounter) + "-" + parsed.file(), new Batch(List.of(), replies));
        }
        if (outcome.rest().isBlank()) {
            // Only link items: the job asked for nothing else, and nothing else is sent for it.
            remove(parsed.file());
            return null;
        }
        return new Parsed(parsed.file(), event.withMailUser(outcome.rest()), parsed.capturedAt());
    }

    private static boolean isTimeLimitWarning(JobEvent e) {
        return e.mailType().name().startsWith("TIME_LIMIT");
    }

    /**
     * Routes and throttles one message: a record, or time-limit warnings of one job (lowest first) that become one
     * message about the highest.
     */
    private int admit(List<Parsed> group, Instant now, List<Admitted> admitted) {
        Parsed main = group.getLast();
        JobEvent event = main.event();
        List<String> files = new ArrayList<>();
        files.add(main.file());
        group.subList(0, group.size() - 1).forEach(p -> files.add(p.file()));
        PreferenceRouting.Decision decision;
        try {
            // The capture time, not the pass's: a record caught in quiet hours (or in last hour's digest) that a
            // later pass (a cron flush, a restarted forwarder) reads is still held, until a time that has come,
            // so every such record of a user and kind goes out as one digest rather than one by one.
            decision = routing.route(event, main.capturedAt().isAfter(now) ? now : main.capturedAt());
        } catch (PreferencesStoreException e) {
            // Guessing could mail a muted user or miss their chosen chat: the records wait, unclaimed, for a pass
            // that can read the preferences.
            log.warn(
                    "job {}: {}; its spool record(s) wait in new/ and are tried again",
                    event.displayId(),
                    e.getMessage());
            errors.add(e.getMessage());
            return 0;
        }
        if (decision instanceof PreferenceRouting.Silenced(String reason)) {
            log.info(
                    "job {} {}: not sent, {}",
                    event.displayId(),
                    event.mailType().subjectWord(),
                    reason);
            files.forEach(this::remove);
            muted += files.size();
            return 0;
        }
        PreferenceRouting.Deliver deliver = (PreferenceRouting.Deliver) decision;
        Routing.Routed routed = deliver.routed();
        if (deliver.byPreferences()) {
            log.debug(
                    "job {}: receivers from {}'s preferences: {}",
                    event.displayId(),
                    event.user(),
                    describe(routed.receivers()));
        }
        if (routed.receivers().isEmpty()) {
            int failed = 0;
            for (String file : files) {
                failed += fail(
                        file,
                        "no receiver to send to in --mail-user, nor a default one: "
                                + (routed.problems().isEmpty() ? "(empty)" : String.join("; ", routed.problems())));
            }
            return failed;
        }
        if (routed.usedDefault()) {
            log.warn(
                    "job {}: none of --mail-user's receivers can be used ({}); sent to the user's default receiver {}",
                    event.displayId(),
                    String.join("; ", routed.problems()),
                    describe(routed.receivers()));
        } else if (!routed.problems().isEmpty()) {
            log.warn("job {}: receiver(s) not used: {}", event.displayId(), String.join("; ", routed.problems()));
        }
        claimed.addAll(files);
        if (deliver.hold().isPresent()) {
            // The user's own choice, before the cap: what waits for their digest does not count against it.
            PreferenceRouting.Hold hold = deliver.hold().get();
            for (Parsed p : group) {
                throttle.holdUntil(
                        event.user(),
                        hold.kind(),
                        new Held(p.file(), p.event(), routed.receivers(), p.capturedAt()),
                        hold.until(),
                        hold.why());
            }
            log.info(
                    "job {} {}: held for {}'s {} digest at {}",
                    event.displayId(),
                    event.mailType().subjectWord(),
                    event.user(),
                    hold.kind(),
                    hold.until());
            return 0;
        }
        // Throttle before sacct: a held notification needs no statistics, and a 5,000-task
        // array must not turn into 5,000 sacct calls.
        if (throttle.tryAdmit(throttleKey(event), now)) {
            List<MailType> folded = group.subList(0, group.size() - 1).stream()
                    .map(p -> p.event().mailType())
                    .toList();
            admitted.add(new Admitted(files, event, routed.receivers(), routed.problems(), folded));
        } else {
            for (Parsed p : group) {
                throttle.hold(throttleKey(event), new Held(p.file(), p.event(), routed.receivers(), p.capturedAt()));
            }
        }
        return 0;
    }

    private static String describe(List<Receiver> receivers) {
        return String.join(
                ", ", receivers.stream().map(r -> r.scheme() + ":" + r.target()).toList());
    }

    /** With the exception's type: "DateTimeException: Instant exceeds ..." says more than the text alone. */
    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** sacct may wait seconds per job (accounting lag): the jobs of one pass wait side by side. */
    private List<Prepared> prepareAll(List<Admitted> admitted, Instant now) {
        Semaphore slots = new Semaphore(concurrency);
        List<Future<Prepared>> futures = new ArrayList<>();
        for (Admitted a : admitted) {
            futures.add(workers.submit(() -> {
                slots.acquire();
                try {
                    return prepare(a, now);
                } finally {
                    slots.release();
                }
            }));
        }
        List<Prepared> out = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (ExecutionException e) {
                out.add(new Refused(
                        admitted.get(i).files(), "could not compose the notification: " + describe(e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(new Refused(admitted.get(i).files(), "interrupted"));
            }
        }
        return out;
    }

    private Prepared prepare(Admitted a, Instant now) {
        JobEvent event = a.event();
        StatsLookup stats = accounting.lookup(event);
        JobMessage message = composer.compose(event, stats, a.problems(), a.folded());
        List<Envelope> envelopes = new ArrayList<>();
        for (Receiver r : a.receivers()) {
            envelopes.add(envelope(r, message.content(), event, now).withSlurm(message.job()));
        }
        log.info(
                "job {} {}: {} notification(s) ready{}",
                event.displayId(),
                event.mailType().subjectWord(),
                envelopes.size(),
                a.folded().isEmpty() ? "" : " (" + a.folded().size() + " earlier warning(s) folded in)");
        return new Ready(a.files(), envelopes, noted(event, null, envelopes, now));
    }

    private void queueDigest(Throttle.Due due, Instant now) {
        Map<Receiver, List<Held>> byReceiver = new LinkedHashMap<>();
        for (Held h : due.held()) {
            for (Receiver r : h.receivers()) {
                byReceiver.computeIfAbsent(r, k -> new ArrayList<>()).add(h);
            }
        }
        List<Envelope> envelopes = new ArrayList<>();
        byReceiver.forEach((r, items) -> envelopes.add(envelope(
                r,
                due.why() == null ? digests.compose(due.key(), items) : digests.compose(due.user(), items, due.why()),
                items.getFirst().event(),
                now)));
        List<String> files = due.held().stream().map(Held::file).toList();
        List<Noted> notes = new ArrayList<>();
        String digest = due.why() == null
                ? "cap"
                : due.key().startsWith("hold:") ? due.key().split(":", 3)[1] : "digest";
        for (Held h : due.held()) {
            List<Envelope> its = new ArrayList<>();
            int i = 0;
            for (Receiver r : byReceiver.keySet()) {
                if (h.receivers().contains(r)) {
                    its.add(envelopes.get(i));
                }
                i++;
            }
            notes.addAll(noted(h.event(), digest, its, now));
        }
        pending.put("digest-" + (++digestCounter) + "-" + due.key(), new Batch(files, envelopes, notes));
        log.info("{} notification(s) for {} folded into {} digest(s)", files.size(), due.key(), envelopes.size());
    }

    private Envelope envelope(Receiver r, Content content, JobEvent event, Instant now) {
        // One category per cluster: unsubscribing from one cluster's job mail leaves the others' (RFC 8058 links).
        Envelope e = Envelope.create(r.channel(), r.target(), content, Origin.slurm(event.user(), event.cluster()), now)
                .withThrottleKey(throttleKey(event))
                .withCategory(Categories.slurm(event.cluster()));
        return sender.map(e::withSender).orElse(e);
    }

    /**
     * One SendMessageBatch stream for everything owed; then settle each batch by its envelopes' results.
     *
     * @return records delivered, records set aside, records SQS did not take this time (still owed)
     */
    private int[] sendPending() {
        List<Envelope> all = new ArrayList<>();
        pending.values().forEach(b -> all.addAll(b.unacked));
        if (all.isEmpty()) {
            return new int[] {0, 0, 0};
        }
        Map<String, EnqueueResult> results = new HashMap<>();
        try {
            for (EnqueueResult r : sink.send(all)) {
                results.put(r.envelopeId(), r);
            }
        } catch (RuntimeException e) {
            // The sink promises not to throw; if it does anyway, nothing was acknowledged: all stays owed.
            log.error("sending to SQS failed unexpectedly; every record waits for the next attempt", e);
        }
        int delivered = 0;
        int failed = 0;
        EnqueueResult.NotEnqueued passing = null;
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            Batch batch = it.next().getValue();
            for (var env = batch.unacked.iterator(); env.hasNext(); ) {
                Envelope e = env.next();
                switch (results.get(e.id())) {
                    case EnqueueResult.Enqueued ok -> env.remove();
                    case EnqueueResult.NotEnqueued no
                    when blamesTheRecord(no) -> {
                        env.remove();
                        batch.permanentFailures.add(e.channel() + ":" + e.target() + ": " + no.reason());
                    }
                    case EnqueueResult.NotEnqueued no -> passing = no;
                    case null ->
                        passing = passing != null
                                ? passing
                                : new EnqueueResult.NotEnqueued(
                                        e.id(), "NoAnswer", "SQS did not answer for this notification", true);
                }
            }
            if (!batch.unacked.isEmpty()) {
                continue;
            }
            it.remove();
            if (batch.permanentFailures.isEmpty()) {
                remember(batch.notes);
            }
            for (String file : batch.files) {
                claimed.remove(file);
                if (batch.permanentFailures.isEmpty()) {
                    delivered += remove(file);
                } else {
                    failed += fail(file, "SQS refused: " + String.join("; ", batch.permanentFailures));
                }
            }
        }
        Instant now = clock.instant();
        if (passing != null) {
            Duration retryDelay = retries.step(++sqsFailures);
            nextAttempt = now.plus(retryDelay);
            int owed = pending.values().stream().mapToInt(b -> b.unacked.size()).sum();
            String code = passing.code() == null ? "SqsError" : passing.code();
            if (!code.equals(sqsTrouble)) {
                // Once per change of state, not every pass: an outage of hours must not fill the log.
                log.warn(
                        "SQS does not take notifications ({}): {} spool record(s) stay in new/ and are retried "
                                + "with backoff ({} doubling up to {}); nothing is set aside for this",
                        passing.reason(),
                        pending.size(),
                        retryMin,
                        retryMax);
                sqsTrouble = code;
            } else {
                log.debug("SQS still does not take {} notification(s) ({}); next try in {}", owed, code, retryDelay);
            }
        } else {
            if (sqsTrouble != null) {
                log.info("SQS takes notifications again (after {})", sqsTrouble);
                sqsTrouble = null;
            }
            sqsFailures = 0;
            nextAttempt = Instant.MIN;
        }
        int unsent = passing == null
                ? 0
                : pending.values().stream().mapToInt(b -> b.files.size()).sum();
        return new int[] {delivered, failed, unsent};
    }

    /**
     * SQS's answer is about this record's notification itself (too large, characters SQS refuses), so sending it again
     * cannot help. Everything else (a missing queue, denied access, throttling, an unreachable or failing SQS, codes
     * not known here) is not the record's fault and passes: the record waits rather than being set aside.
     */
    static boolean blamesTheRecord(EnqueueResult.NotEnqueued no) {
        String code = no.code() == null ? "" : no.code().substring(no.code().lastIndexOf('.') + 1);
        return RECORD_FAULT_CODES.contains(code);
    }

    private int remove(String file) {
        try {
            spool.remove(file);
            return 1;
        } catch (UncheckedIOException e) {
            // On SQS already; left in new/ it would be sent again, so say so loudly.
            log.error("{} (it was sent to SQS; remove it by hand or it is sent again)", e.getMessage());
            errors.add(e.getMessage());
            return 1;
        }
    }

    private int fail(String file, String reason) {
        log.warn("spool record {} moved to failed/: {}", file, reason);
        try {
            spool.fail(file, reason);
            return 1;
        } catch (UncheckedIOException e) {
            log.error("{}", e.getMessage());
            errors.add(e.getMessage());
            return 0;
        }
    }

    /** The notice the owner's job bot lists for these envelopes; none without a usable owner or a store. */
    private List<Noted> noted(JobEvent event, String digest, List<Envelope> envelopes, Instant now) {
        String user = event.user() == null ? null : event.user().strip();
        if (recentJobs.isEmpty()
                || user == null
                || io.herald.core.preferences.PreferencesCodec.userProblem(user) != null) {
            return List.of();
        }
        List<RecentJobs.Sent> sent = envelopes.stream()
                .map(e -> new RecentJobs.Sent(e.id(), e.channel() + ":" + e.target()))
                .toList();
        return List.of(new Noted(
                user,
                new RecentJobs.JobNotice(
                        event.displayId(),
                        event.name(),
                        event.cluster(),
                        event.mailType().name(),
                        event.state(),
                        now,
                        digest,
                        sent)));
    }

    /**
     * Lists what SQS took in its owners' recent jobs. A store that fails costs the job bot a line, never a
     * notification: it is logged and the pass goes on.
     */
    private void remember(List<Noted> notes) {
        if (notes.isEmpty() || recentJobs.isEmpty()) {
            return;
        }
        Map<String, List<RecentJobs.JobNotice>> byUser = new LinkedHashMap<>();
        notes.forEach(
                n -> byUser.computeIfAbsent(n.user(), k -> new ArrayList<>()).add(n.notice()));
        byUser.forEach((user, notices) -> {
            try {
                recentJobs.get().add(user, notices);
            } catch (PreferencesStoreException e) {
                log.warn("{} (the job bot's /jobs will miss {} notification(s))", e.getMessage(), notices.size());
            }
        });
    }

    private static String throttleKey(JobEvent e) {
        return e.user() != null ? e.user() : "mail-user:" + e.mailUser();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
