package io.herald.core.feedback;

/**
 * The provider event ids an intake has recorded lately, so an event delivered twice (a webhook batch retried after a
 * timeout) is handed to the {@link FeedbackSink} once. Shared by every API instance.
 */
public interface FeedbackEventIds {

    /**
     * Takes an event for recording.
     *
     * @return true when nobody recorded or is recording it; false when it was seen before (skip it)
     * @throws FeedbackStoreException when the ids cannot be read or written (the caller must have it delivered again)
     */
    boolean claim(String source, String eventId);

    /**
     * Gives a claimed event back after recording it failed, so its redelivery is recorded.
     *
     * @throws FeedbackStoreException when it cannot be written
     */
    void release(String source, String eventId);
}
