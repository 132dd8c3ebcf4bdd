package io.herald.pipeline.provider;

import io.herald.core.envelope.Envelope;
import java.time.Instant;

/**
 * One way of delivering on one channel: SES, SendGrid, an SMTP server, a Teams webhook...
 *
 * <p>A provider sends one envelope and says what happened; it never throws for a failed send and never touches SQS. The
 * pipeline decides what each {@link Outcome} means for the message (delete, retry later, dead-letter) and for the
 * provider's health.
 */
public interface Provider {

    /** A short stable name for logs, metrics and status, e.g. {@code ses} or {@code outbox}. */
    String name();

    /** The channel this provider delivers on, e.g. {@code email}. */
    String channel();

    /**
     * Delivers one envelope. Implementations must return within the configured send timeout where they can. The
     * pipeline interrupts a call that takes longer and retries the message later, so a send must end promptly when its
     * thread is interrupted (blocking I/O and sleeps on virtual threads do), returning a {@link Outcome.Retry} unless
     * it knows the message was delivered.
     */
    Outcome send(Envelope envelope);

    /**
     * Like {@link #send(Envelope)} with part of the send timeout already spent (waiting for the rate limit, see
     * {@link RateLimitedProvider}): a provider that can bound its request by a deadline ends by {@code deadline}; the
     * default sends with its own full timeout.
     */
    default Outcome send(Envelope envelope, Instant deadline) {
        return send(envelope);
    }
}
