package io.herald.core.feedback;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts each address's soft bounces over a sliding window, durably and shared by every process that records feedback,
 * so that an address which keeps bouncing softly is suppressed in the end while one full mailbox is not.
 */
public interface SoftBounces {

    /**
     * Notes one soft bounce and counts the address's soft bounces within {@code window} before now, this one included.
     * Noting the same event (same {@code eventId} and time) again does not count it twice.
     *
     * @param address the receiver's address, {@linkplain Suppression#normalize normalized}
     * @throws FeedbackStoreException when the count cannot be kept now
     */
    int note(String address, String eventId, Instant at, Duration window);
}
