package io.herald.core.status;

/** What recording one {@link FeedbackStep} did to its message's status. */
public sealed interface FeedbackOutcome {

    /** The store holds no such message (never sent through this table, or expired): nothing was recorded. */
    record NoSuchMessage() implements FeedbackOutcome {}

    /** The same event was recorded before: nothing changed. */
    record AlreadyRecorded(String senderDomain) implements FeedbackOutcome {}

    /**
     * Recorded in the message's history.
     *
     * @param stateChanged whether the message moved to the step's new state (false when it only joined the history,
     *     e.g. a soft bounce after a complaint)
     * @param senderDomain the domain of the message's sender, when the store knows it; null otherwise
     */
    record Recorded(boolean stateChanged, String senderDomain) implements FeedbackOutcome {}
}
