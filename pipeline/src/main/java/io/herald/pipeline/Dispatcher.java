package io.herald.pipeline;

import io.herald.core.control.DomainDeferral;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.MalformedEnvelopeException;
import io.herald.core.feedback.Suppression;
import io.herald.core.feedback.Suppressions;
import io.herald.core.retry.Backoff;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.StatusUpdate;
import io.herald.core.unsubscribe.Categories;
import io.herald.pipeline.pacing.DomainPacer;
import io.herald.pipeline.provider.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Takes the messages of one read and sees each through: decode, choose a worker of its channel's pool (one probe per
 * unhealthy worker, the rest by weight among healthy ones), send with the send timeout, record health, record status,
 * settle on SQS. Each message runs on its own virtual thread; the caller does not wait, so the next read overlaps these
 * sends.
 *
 * <p>Statuses go through the {@link StatusBuffer}, and a message is settled (deleted, released, dead-lettered) once the
 * status that says so is written: a crash in between repeats a status write rather than skipping one.
 *
 * <p>Emails are checked against the suppression list before any worker is chosen ({@link #screen}). Failover needs no
 * check of its own: a send that failed is retried through SQS, and its next attempt (on whichever provider) comes
 * through {@link #dispatch} and is checked again.
 *
 * <p>Emails are then paced per recipient domain ({@link DomainPacer}): one over its domain's pace is parked for a
 * while, and a receiver's deferral ({@link Outcome.Retry#receiverDeferred()}) slows its domain.
 */
final class Dispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** The channel whose messages are checked against the suppression list. */
    private static final String EMAIL = "email";

    private final Map<String, WorkerPool> pools;
    private final EnvelopeCodec codec;
    private final Settler settler;
    private final InFlight inFlight;
    private final PipelineMetrics metrics;
    private final StatusBuffer status;
    private final Clock clock;
    private final SendTimeouts sendTimeouts;
    private final Backoff backoff;
    private final int maxReceiveCount;
    private final PipelineControl control;
    /** Null when the pipeline has no suppression list (tests and benches without a status table). */
    private final Suppressions suppressions;
    /** Email per recipient domain: a domain that defers is slowed, the others are not. */
    private final DomainPacer pacer;

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean stopping;

    Dispatcher(
            Map<String, WorkerPool> pools,
            EnvelopeCodec codec,
            Settler settler,
            InFlight inFlight,
            PipelineMetrics metrics,
            StatusBuffer status,
            Clock clock,
            Duration sendTimeout,
            Duration sendingStatusAfter,
            Backoff backoff,
            int maxReceiveCount,
            PipelineControl control,
            Suppressions suppressions,
            DomainPacer pacer) {
        this.pools = pools;
        this.codec = codec;
        this.settler = settler;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.status = status;
        this.clock = clock;
        this.sendTimeouts = new SendTimeouts(sendTimeout, sendingStatusAfter);
        this.backoff = backoff;
        this.maxReceiveCount = maxReceiveCount;
        this.control = control;
        this.suppressions = suppressions;
        this.pacer = pacer;
    }

    /** One read's messages; every one is already held in {@link InFlight}. */
    void dispatch(QueueRef queue, List<Message> messages) {
        Map<WorkerPool, List<Received>> byPool = new LinkedHashMap<>();
        for (Message message : messages) {
            Envelope envelope;
            try {
                envelope = codec.decode(message.body());
            } catch (MalformedEnvelopeException e) {
                String reason = "malformed message: " + e.getMessage();
                threads.submit(() -> deadLetterRejected(queue, message, null, reason, null));
                continue;
            }
            WorkerPool pool = pools.get(envelope.channel());
            if (pool == null) {
                threads.submit(() -> deadLetterRejected(
                        queue,
                        message,
                        envelope,
                        "no provider configured for channel '" + envelope.channel() + "'",
                        null));
                continue;
            }
            Received received = new Received(queue, message, envelope);
            if (!control.isChannelOpen(pool.channel())) {
                // Received by a long poll that began before the pause, or read for other channels.
                threads.submit(() -> park(received));
                continue;
            }
            byPool.computeIfAbsent(pool, p -> new ArrayList<>()).add(received);
        }
        byPool.forEach((pool, received) -> {
            if (suppressions != null && EMAIL.equals(pool.channel())) {
                // Off the reader's thread: the check is a request to the status table.
                threads.submit(() -> sendAll(pool, pace(pool, screen(received))));
            } else {
                sendAll(pool, pace(pool, received));
            }
        });
    }

    private void sendAll(WorkerPool pool, List<Received> received) {
        List<Worker> probes = pool.probesFor(received.size());
        for (int i = 0; i < received.size(); i++) {
            Received r = received.get(i);
            if (i < probes.size()) {
                Worker probe = probes.get(i);
                threads.submit(() -> send(pool, probe, Worker.SendKind.PROBE, r));
            } else {
                threads.submit(() -> takeAndSend(pool, r));
            }
        }
    }

    /**
     * Checks one read's emails against the suppression list in one request: a suppressed email ends {@code suppressed}
     * and is deleted unsent (it is settled, not lost); when the list cannot be read, none is sent and all are retried
     * later, as after a failed send.
     *
     * @return the emails that may be sent
     */
    private List<Received> screen(List<Received> received) {
        List<Optional<Suppression>> answers;
        try {
            answers = suppressions.findAll(received.stream()
                    .map(r -> new Suppressions.Lookup(r.envelope().target(), Categories.of(r.envelope())))
                    .toList());
        } catch (RuntimeException e) {
            // A FeedbackStoreException as a rule; whatever it is, an email that could not be checked is not sent.
            metrics.suppressionUnreadable(received.size());
            log.warn("suppression list unreadable, {} email(s) will be retried: {}", received.size(), e.getMessage());
            received.forEach(r -> retryLater(r, null, Duration.ZERO, "suppression list unreadable"));
            return List.of();
        }
        List<Received> clear = new ArrayList<>();
        for (int i = 0; i < received.size(); i++) {
            Received r = received.get(i);
            Optional<Suppression> entry = answers.get(i);
            if (entry.isEmpty()) {
                clear.add(r);
                continue;
            }
            Suppression s = entry.get();
            String reason = s.reason() + " (" + s.source() + ")";
            metrics.suppressedOne(r.envelope().channel());
            log.info(
                    "message {} not sent: its receiver is suppressed: {}",
                    r.envelope().id(),
                    reason);
            recordThen(
                    r.envelope(),
                    new DeliveryState.Suppressed(reason),
                    () -> settler.delete(r.queue(), r.message(), done(r.message())));
        }
        return clear;
    }

    /**
     * Holds back the emails whose recipient domain is over its pace: each goes back on the queue for as long as its
     * domain's next send is away, as a park (not an attempt, not held against any provider).
     *
     * @return the messages that may be sent now
     */
    private List<Received> pace(WorkerPool pool, List<Received> received) {
        if (!EMAIL.equals(pool.channel())) {
            return received;
        }
        List<Received> go = new ArrayList<>(received.size());
        for (Received r : received) {
            String domain = DomainDeferral.domainOf(r.envelope().target());
            Optional<Duration> wait = pacer.admit(domain);
            if (wait.isEmpty()) {
                go.add(r);
                continue;
            }
            // SQS delays in whole seconds: rounding down would bring a message back at once, to be held again.
            Duration hold = Duration.ofSeconds(Math.max(1, (wait.get().toMillis() + 999) / 1000));
            metrics.pacedOne(r.envelope().channel());
            // Off the reader's thread: parking is a request to SQS.
            threads.submit(() -> settler.park(
                    r.queue(), r.message(), hold, MessageAttributes.receiveCount(r.message()) - 1, done(r.message())));
            log.debug(
                    "held message {} for {} ms: domain {} is paced",
                    r.envelope().id(),
                    hold.toMillis(),
                    domain);
        }
        return go;
    }

    private record Received(QueueRef queue, Message message, Envelope envelope) {}

    private void takeAndSend(WorkerPool pool, Received r) {
        WorkerPool.Pick pick;
        try {
            pick = pool.take();
        } catch (InterruptedException e) {
            letGo(r, "pipeline stopping");
            return;
        }
        if (pick == null) {
            // Every provider of the pool was paused while the message waited for one.
            park(r);
            return;
        }
        send(pool, pick.worker(), pick.kind(), r);
    }

    private void send(WorkerPool pool, Worker worker, Worker.SendKind kind, Received r) {
        Outcome outcome;
        try {
            if (stopping) {
                worker.abandon(kind);
                letGo(r, "pipeline stopping");
                return;
            }
            long start = System.nanoTime();
            Instant started = clock.instant();
            // Only a send slow enough to be seen is recorded as under way; the rest go straight to their outcome.
            outcome = callWithTimeout(
                    worker,
                    r.envelope(),
                    () -> status.record(update(r.envelope(), new DeliveryState.Sending(worker.name()), started)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (stopping) {
                // A stop interrupted the send, or it ended as the pipeline stopped: settling must not be cut short.
                Thread.interrupted();
                if (outcome instanceof Outcome.Retry) {
                    // Not the provider's fault and not a failed attempt; just let the message go.
                    worker.abandon(kind);
                    letGo(r, "pipeline stopping");
                    return;
                }
            }
            worker.record(outcome, took, kind);
            metrics.sent(worker, outcomeName(outcome), took);
        } finally {
            // The send is over: its slot goes to the next message now, not after this one is settled
            // (a dead-letter copy or a status write would otherwise keep the provider's slot idle).
            pool.release(worker);
        }
        settle(r, worker, outcome);
    }

    /**
     * Sends on this thread, interrupted by {@link SendTimeouts} at the deadline (or by {@link #drain} when the pipeline
     * stops and the send outlives the shutdown deadline).
     */
    private Outcome callWithTimeout(Worker worker, Envelope envelope, Runnable whenSlow) {
        SendTimeouts.Send timing = sendTimeouts.start(whenSlow);
        Outcome outcome;
        try {
            outcome = worker.provider().send(envelope);
        } catch (RuntimeException e) {
            // A provider bug must cost one retry, not a lost message.
            log.error("provider {} threw for {}", worker.name(), envelope.id(), e);
            outcome = new Outcome.Retry(
                    Duration.ZERO, worker.name() + " failed: " + e.getClass().getSimpleName());
        }
        if (timing.finish()) {
            // A delivery that raced the deadline stands; anything else failed because it was cut off.
            return outcome instanceof Outcome.Delivered
                    ? outcome
                    : new Outcome.Retry(
                            Duration.ZERO,
                            "send timed out after " + sendTimeouts.timeout().toMillis() + " ms");
        }
        return outcome;
    }

    private void settle(Received r, Worker worker, Outcome outcome) {
        switch (outcome) {
            case Outcome.Delivered d ->
                // With the sender's domain, by which feedback about the message (bounces, complaints) is counted.
                status.recordThen(
                        update(
                                        r.envelope(),
                                        new DeliveryState.Delivered(worker.name(), d.providerMessageId()),
                                        clock.instant())
                                .withSenderDomain(
                                        r.envelope().sender() == null
                                                ? null
                                                : r.envelope().sender().domain()),
                        () -> settler.delete(r.queue(), r.message(), done(r.message())));
            case Outcome.Rejected rejected ->
                deadLetterRejected(r.queue(), r.message(), r.envelope(), rejected.reason(), worker.name());
            case Outcome.Retry retry -> {
                if (retry.receiverDeferred() && EMAIL.equals(r.envelope().channel())) {
                    pacer.deferred(DomainDeferral.domainOf(r.envelope().target()));
                }
                retryLater(r, worker.name(), retry.after(), retry.reason());
            }
            case Outcome.ProviderDown down -> retryLater(r, worker.name(), Duration.ZERO, down.reason());
        }
    }

    /** @param provider the provider whose answer asked for it, or null when none was asked */
    private void retryLater(Received r, String provider, Duration asked, String reason) {
        int attempts = MessageAttributes.receiveCount(r.message());
        if (attempts >= maxReceiveCount) {
            // SQS would move it on the next receive, without a reason; do it now, with one.
            String why = "gave up after " + attempts + " attempts: " + reason;
            deadLetter(r.queue(), r.message(), r.envelope(), why, provider, new DeliveryState.DeadLettered(why));
            return;
        }
        Duration delay =
                backoff.delay(attempts, asked, ThreadLocalRandom.current().nextDouble());
        recordThen(
                r.envelope(),
                new DeliveryState.Retrying(attempts, reason),
                () -> settler.release(r.queue(), r.message(), delay, done(r.message())));
        log.info(
                "message {} will be retried in {} ms (attempt {}): {}",
                r.envelope().id(),
                delay.toMillis(),
                attempts,
                reason);
    }

    /** @param provider the provider whose answer rejected it, or null when none was asked */
    private void deadLetterRejected(
            QueueRef queue, Message message, Envelope envelope, String reason, String provider) {
        deadLetter(queue, message, envelope, reason, provider, new DeliveryState.Rejected(reason));
    }

    /**
     * Copies the message to the dead-letter queue, records its final state, and only then deletes it. A message whose
     * copy failed stays (SQS's own redrive moves it in the end) with no new status.
     *
     * @param envelope its envelope, or null when its body could not be read (no status then)
     */
    private void deadLetter(
            QueueRef queue, Message message, Envelope envelope, String reason, String provider, DeliveryState state) {
        if (!settler.copyToDeadLetter(queue, message, envelope == null ? null : envelope.id(), reason, provider)) {
            done(message).run();
        } else if (envelope == null) {
            settler.delete(queue, message, done(message));
        } else {
            recordThen(envelope, state, () -> settler.delete(queue, message, done(message)));
        }
    }

    /** What frees the message's room in {@link InFlight} once SQS confirmed how it was settled. */
    private Runnable done(Message message) {
        return () -> inFlight.done(message);
    }

    /** Not sent: visible again at once for this or another pipeline. */
    private void letGo(Received r, String reason) {
        settler.release(r.queue(), r.message(), Duration.ZERO, done(r.message()));
        log.debug("released message {} unsent: {}", r.envelope().id(), reason);
    }

    /** Its channel is paused: back on the queue for a while, not counted as an attempt. */
    private void park(Received r) {
        settler.park(
                r.queue(),
                r.message(),
                control.parkDelay(),
                MessageAttributes.receiveCount(r.message()) - 1,
                done(r.message()));
        metrics.parkedOne(r.envelope().channel());
        log.debug(
                "parked message {}: channel {} is paused",
                r.envelope().id(),
                r.envelope().channel());
    }

    /** Records the state with the next status flush, then settles the message (see {@link StatusBuffer}). */
    private void recordThen(Envelope envelope, DeliveryState state, Runnable settle) {
        status.recordThen(update(envelope, state, clock.instant()), settle);
    }

    /** The update of the envelope's message, carrying its callback URL (a callback is posted for each, when set). */
    private static StatusUpdate update(Envelope envelope, DeliveryState state, Instant at) {
        return new StatusUpdate(envelope.id(), state, at, null, envelope.callbackUrl());
    }

    private static String outcomeName(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Delivered d -> "delivered";
            case Outcome.Retry r -> "retry";
            case Outcome.Rejected r -> "rejected";
            case Outcome.ProviderDown p -> "provider_down";
        };
    }

    /** From now on, messages not yet sent are let go instead. */
    void stopSending() {
        stopping = true;
    }

    /** Waits for sends in flight up to {@code deadline}, then cancels the rest (they are released). */
    void drain(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (inFlight.count() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.count() > 0) {
            log.warn(
                    "{} send(s) still running after {}; interrupting them, their messages are released",
                    inFlight.count(),
                    deadline);
            threads.shutdownNow();
        }
    }

    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
        sendTimeouts.close();
    }
}
