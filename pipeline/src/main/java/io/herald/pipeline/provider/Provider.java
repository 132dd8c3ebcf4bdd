package io.herald.pipeline.provider;

import io.herald.core.envelope.Envelope;

/**
 * One way of delivering on one channel: SES, SendGrid, an SMTP server, a Teams webhook...
 *
 * <p>A provider sends one envelope and says what happened; it never throws for a failed send and
 * never touches SQS. The pipeline decides what each {@link Outcome} means for the message (delete,
 * retry later, dead-letter) and for the provider's health.
 */
public interface Provider {

    /** A short stable name for logs, metrics and status, e.g. {@code ses} or {@code outbox}. */
    String name();

    /** The channel this provider delivers on, e.g. {@code email}. */
    String channel();

    /**
     * Delivers one envelope. Implementations must return within the configured send timeout where
     * they can; the pipeline abandons calls that take longer and retries the message later.
     */
    Outcome send(Envelope envelope);
}
