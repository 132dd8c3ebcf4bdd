package io.herald.pipeline.provider.ses.feedback;

/**
 * A feedback message that can never be recorded as it is (unsigned, badly signed, from another topic, unparsable): it
 * is set aside in the feedback queue's dead-letter queue with this message as its reason.
 */
final class UnusableFeedback extends Exception {

    UnusableFeedback(String reason) {
        super(reason, null, false, false);
    }
}
