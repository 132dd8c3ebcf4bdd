package io.herald.mailprog.forward;

import io.herald.core.envelope.Envelope;
import io.herald.core.sqs.EnqueueResult;
import java.util.List;

/** Where prepared envelopes go: SQS in production. One result per envelope, in order; never throws. */
@FunctionalInterface
public interface EnvelopeSink {
    List<EnqueueResult> send(List<Envelope> envelopes);
}
