package io.herald.core.feedback;

import io.herald.core.config.Durations;
import io.herald.core.config.HeraldConfig.SuppressionSettings.SoftBounceLimit;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.FeedbackOutcome;
import io.herald.core.status.FeedbackStep;
import io.herald.core.status.StatusStore;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FeedbackSink} every intake hands its events to: it suppresses the address when the event calls for it,
 * then records the event in the message's status, then counts it.
 *
 * <ul>
 *   <li>a hard bounce or a complaint suppresses the address for every category (an event for an unknown message too),
 *       and moves the message to {@code bounced} or {@code complained};
 *   <li>a soft bounce moves the message to {@code bounced} (soft), and suppresses the address once it soft-bounced
 *       {@code suppression.softBounces.count} times within {@code suppression.softBounces.window};
 *   <li>a delivery, a deferral and a drop only join the message's history (it stays {@code delivered}); a drop
 *       suppresses the address when the provider says it dropped the mail because the address is on its own list;
 *   <li>every event is counted per sender domain ({@link FeedbackMeters}).
 * </ul>
 *
 * <p>Recording the same event twice changes nothing more, because every effect is idempotent rather than the event
 * de-duplicated up front (which would lose the effects of an attempt that failed half-way): the status store refuses an
 * event id its message already holds, the soft-bounce count is a set of event ids, and an address already suppressed
 * for every category is left as it is (its first reason stays). The metrics count an event whose message the store said
 * it had already recorded no more; an event for an unknown message is counted each time it is offered, as there is
 * nothing to remember it by. The order (suppression first, status last) means an event that failed half-way and is
 * offered again completes what was missing: the status write is what marks it as done.
 */
public final class FeedbackRecorder implements FeedbackSink {

    private static final Logger log = LoggerFactory.getLogger(FeedbackRecorder.class);

    /**
     * A provider's reasons for dropping mail to an address on its own suppression list (SendGrid's {@code dropped}
     * reasons "Bounced Address", "Spam Reporting Address", "Unsubscribed Address"; SES's account suppression list).
     */
    private static final Pattern PROVIDER_SUPPRESSED =
            Pattern.compile("(?i)bounced address|spam reporting address|unsubscribed address|suppress");

    private final StatusStore status;
    private final Suppressions suppressions;
    private final SoftBounces softBounces;
    private final SoftBounceLimit softBounceLimit;
    private final FeedbackMeters meters;
    /** Null: no daily counts for the dashboard (tests that look at other things). */
    private final FeedbackDailyCounts dailyCounts;

    /**
     * @param softBounceLimit how many soft bounces within what window suppress an address
     *     ({@code suppression.softBounces})
     */
    public FeedbackRecorder(
            StatusStore status,
            Suppressions suppressions,
            SoftBounces softBounces,
            SoftBounceLimit softBounceLimit,
            FeedbackMeters meters) {
        this(status, suppressions, softBounces, softBounceLimit, meters, null);
    }

    /** @param dailyCounts also counts each event per sender domain and day in the table, for the dashboard's rates */
    public FeedbackRecorder(
            StatusStore status,
            Suppressions suppressions,
            SoftBounces softBounces,
            SoftBounceLimit softBounceLimit,
            FeedbackMeters meters,
            FeedbackDailyCounts dailyCounts) {
        this.status = status;
        this.suppressions = suppressions;
        this.softBounces = softBounces;
        this.softBounceLimit = softBounceLimit;
        this.meters = meters;
        this.dailyCounts = dailyCounts;
    }

    @Override
    public void accept(FeedbackEvent event) {
        if (event.address() == null || event.address().isBlank()) {
            // An intake's parser lets no such event through; should one slip by, there is no address to suppress, but
            // the message's status and the counts still take it, rather than it being offered again forever.
            log.warn(
                    "feedback {} {} from {} names no address: nothing to suppress",
                    FeedbackMeters.type(event),
                    event.eventId(),
                    event.source());
        } else {
            suppressIfCalledFor(event, Suppression.normalize(event.address()));
        }
        FeedbackOutcome outcome;
        if (event.messageId() == null) {
            outcome = new FeedbackOutcome.NoSuchMessage();
        } else {
            // Built outside the guard: an event the intake left incomplete is its bug, not a store to wait for.
            FeedbackStep step = step(event);
            outcome = guarded("status", () -> status.recordFeedback(step));
        }
        switch (outcome) {
            case FeedbackOutcome.AlreadyRecorded again ->
                log.debug(
                        "feedback {} {} from {} was recorded before",
                        FeedbackMeters.type(event),
                        event.eventId(),
                        event.source());
            case FeedbackOutcome.Recorded r -> count(event, r.senderDomain());
            case FeedbackOutcome.NoSuchMessage none -> count(event, null);
        }
    }

    /** Once per event (a repeat was {@code AlreadyRecorded}): the process's counters and the table's daily counts. */
    private void count(FeedbackEvent event, String senderDomain) {
        meters.counted(event, senderDomain);
        if (dailyCounts != null) {
            dailyCounts.add(FeedbackMeters.type(event), FeedbackMeters.domainLabel(senderDomain));
        }
    }

    private void suppressIfCalledFor(FeedbackEvent event, String address) {
        switch (event) {
            case FeedbackEvent.Bounce b
            when b.permanent() -> suppress(event, address, "hard bounce: " + words(b.diagnostic()));
            case FeedbackEvent.Bounce b -> {
                int bounces = guarded(
                        "soft bounce count",
                        () -> softBounces.note(address, b.eventId(), b.at(), softBounceLimit.window()));
                if (bounces >= softBounceLimit.count()) {
                    suppress(
                            event,
                            address,
                            bounces + " soft bounces within " + Durations.format(softBounceLimit.window()) + ", last: "
                                    + words(b.diagnostic()));
                }
            }
            case FeedbackEvent.Complaint c ->
                suppress(event, address, "complaint" + (c.feedbackType() == null ? "" : ": " + c.feedbackType()));
            case FeedbackEvent.Dropped d
            when d.reason() != null && PROVIDER_SUPPRESSED.matcher(d.reason()).find() ->
                suppress(event, address, "dropped by " + d.source() + ": " + d.reason());
            case FeedbackEvent.Delivery d -> {}
            case FeedbackEvent.Deferral d -> {}
            case FeedbackEvent.Dropped d -> {}
        }
    }

    /** Adds the address for every category, unless it is on the list for every category already. */
    private void suppress(FeedbackEvent event, String address, String reason) {
        Optional<Suppression> existing =
                guarded("suppression list", () -> suppressions.find(address, Suppression.ALL_CATEGORIES));
        if (existing.filter(s -> Suppression.ALL_CATEGORIES.equals(s.category()))
                .isPresent()) {
            return;
        }
        guarded("suppression list", () -> {
            suppressions.add(new Suppression(address, Suppression.ALL_CATEGORIES, reason, event.source(), event.at()));
            return null;
        });
        log.info(
                "suppressed an address on {} feedback {} (message {}): {}",
                event.source(),
                event.eventId(),
                event.messageId(),
                reason);
    }

    private static FeedbackStep step(FeedbackEvent event) {
        return switch (event) {
            case FeedbackEvent.Bounce b ->
                new FeedbackStep(
                        b.messageId(),
                        b.eventId(),
                        b.permanent() ? "hard-bounce" : "soft-bounce",
                        b.source(),
                        b.diagnostic(),
                        b.at(),
                        new DeliveryState.Bounced(b.permanent(), b.diagnostic(), b.source()));
            case FeedbackEvent.Complaint c ->
                new FeedbackStep(
                        c.messageId(),
                        c.eventId(),
                        "complaint",
                        c.source(),
                        c.feedbackType(),
                        c.at(),
                        new DeliveryState.Complained(c.feedbackType(), c.source()));
            case FeedbackEvent.Delivery d ->
                new FeedbackStep(d.messageId(), d.eventId(), "delivery", d.source(), null, d.at(), null);
            case FeedbackEvent.Deferral d ->
                new FeedbackStep(d.messageId(), d.eventId(), "deferral", d.source(), d.diagnostic(), d.at(), null);
            case FeedbackEvent.Dropped d ->
                new FeedbackStep(d.messageId(), d.eventId(), "dropped", d.source(), d.reason(), d.at(), null);
        };
    }

    private static String words(String diagnostic) {
        return diagnostic == null || diagnostic.isBlank() ? "no diagnostic given" : diagnostic;
    }

    /** Runs a store call; any failure of it means "offer the event again later" to the intake. */
    private static <T> T guarded(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (FeedbackStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FeedbackStoreException(
                    "feedback not recorded: the " + what + " cannot be written: " + e.getMessage(), e);
        }
    }
}
