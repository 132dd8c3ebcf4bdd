package io.herald.core.status;

import java.util.List;

/**
 * Everything the store knows of one message's way, each entry with its time.
 *
 * @param states every state it was recorded in, oldest first (as {@link StatusStore#history})
 * @param feedback what providers reported about it after accepting it, in the order it was recorded
 */
public record Timeline(List<StatusUpdate> states, List<FeedbackStep> feedback) {

    public Timeline {
        states = List.copyOf(states);
        feedback = List.copyOf(feedback);
    }
}
