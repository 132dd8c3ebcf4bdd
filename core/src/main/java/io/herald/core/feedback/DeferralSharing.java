package io.herald.core.feedback;

import io.herald.core.control.ControlStore;
import io.herald.core.control.ControlStoreException;
import io.herald.core.control.DomainDeferral;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts itself in front of the feedback sink of an intake that runs outside any pipeline (SendGrid's webhook in the
 * API): a reported {@link FeedbackEvent.Deferral} is published to the {@link ControlStore}, where every pipeline
 * instance reads it at its next control refresh and slows email to that domain (the pipeline's own intakes tell its
 * pacer directly, which then publishes the same way). Every event, deferral or not, is recorded first.
 *
 * <p>Publishing is best effort: the event is recorded already, so a control store that cannot be written is logged and
 * the call still succeeds (failing it would have the provider deliver the event again, only to be skipped as a
 * duplicate).
 */
public final class DeferralSharing implements FeedbackSink {

    private static final Logger log = LoggerFactory.getLogger(DeferralSharing.class);

    private final FeedbackSink inner;
    private final ControlStore control;
    private final String reporter;
    private final Clock clock;

    /** @param reporter this process's name in the deferrals it publishes (e.g. {@code api@host:pid}) */
    public DeferralSharing(FeedbackSink inner, ControlStore control, String reporter, Clock clock) {
        this.inner = inner;
        this.control = control;
        this.reporter = reporter;
        this.clock = clock;
    }

    @Override
    public void accept(FeedbackEvent event) {
        inner.accept(event);
        if (event instanceof FeedbackEvent.Deferral deferral && deferral.address() != null) {
            String domain = DomainDeferral.domainOf(deferral.address());
            try {
                // Stamped now, not with the event's time: the pipelines slow the domain from when they hear of it.
                control.publishDeferral(new DomainDeferral(domain, reporter, clock.instant()));
            } catch (ControlStoreException e) {
                log.warn("a deferral by {} reaches no pipeline's pacing: {}", domain, e.getMessage());
            }
        }
    }
}
