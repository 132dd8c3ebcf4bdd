package io.herald.pipeline.provider.ses.feedback;

import io.herald.core.feedback.FeedbackEvent;
import java.util.List;

/** What one SES event record is, for Herald. */
sealed interface SesEvents {

    /** A bounce, complaint, delivery, reject or delivery delay: one event per recipient it names. */
    record Parsed(String eventType, List<FeedbackEvent> events) implements SesEvents {}

    /** An event type Herald does not record (Send, Open, Click, ...): counted and dropped. */
    record Ignored(String eventType) implements SesEvents {}
}
