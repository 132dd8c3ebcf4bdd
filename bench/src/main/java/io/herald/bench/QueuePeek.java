package io.herald.bench;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Every envelope on a queue, for a drill's final count: received and left invisible, never deleted. */
final class QueuePeek {

    private QueuePeek() {}

    static List<Envelope> envelopes(SqsClient sqs, String queueUrl) {
        EnvelopeCodec codec = new EnvelopeCodec();
        List<Envelope> out = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                            .maxNumberOfMessages(10)
                            .visibilityTimeout(600)
                            .waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                return out;
            }
            batch.forEach(m -> out.add(codec.decode(m.body())));
        }
    }
}
