package io.herald.pipeline.pacing;

import io.herald.core.control.DomainDeferral;
import io.herald.core.feedback.FeedbackEvent;
import io.herald.core.feedback.FeedbackSink;

/**
 * Puts itself in front of the feedback sink of an intake that runs in the pipeline's process (SES feedback from its SQS
 * queue): a reported {@link FeedbackEvent.Deferral} slows email to that address's domain in this pipeline's
 * {@link DomainPacer}, and every event, deferral or not, is then recorded as before.
 *
 * <p>The pacer is told only once the event is recorded: an event that could not be recorded comes again, and is then
 * counted once, not twice. The pacer then tells the other processes through the control store; intakes in other
 * processes (SendGrid's webhook in the API) reach this pacer that way, through
 * {@link io.herald.core.feedback.DeferralSharing}.
 */
public final class DeferralPacing implements FeedbackSink {

    private final FeedbackSink inner;
    private final DomainPacer pacer;

    public DeferralPacing(FeedbackSink inner, DomainPacer pacer) {
        this.inner = inner;
        this.pacer = pacer;
    }

    @Override
    public void accept(FeedbackEvent event) {
        inner.accept(event);
        if (event instanceof FeedbackEvent.Deferral deferral && deferral.address() != null) {
            pacer.deferred(DomainDeferral.domainOf(deferral.address()));
        }
    }
}
