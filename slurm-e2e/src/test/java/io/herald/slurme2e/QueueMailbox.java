package io.herald.slurme2e;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What reached Herald's queue: every envelope the forwarder put on SQS, read back with the real AWS SDK and deleted as
 * read, in arrival order. These are what the pipeline would deliver, one per receiver.
 */
final class QueueMailbox {

    private final SqsClient sqs;
    private final String url;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final List<Envelope> received = new ArrayList<>();

    QueueMailbox(SqsClient sqs, String queue) {
        this.sqs = sqs;
        this.url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }

    /** Reads whatever is waiting now, then returns everything received so far. */
    synchronized List<Envelope> poll() {
        while (true) {
            List<Message> batch = sqs.receiveMessage(
                            b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                return List.copyOf(received);
            }
            for (Message m : batch) {
                received.add(codec.decode(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The envelopes so far about one job (its own id, or the array's id for an array's messages). */
    List<Envelope> about(String jobId) {
        Predicate<Envelope> matches = e -> e.slurm() != null
                && (jobId.equals(e.slurm().jobId()) || jobId.equals(e.slurm().arrayJobId()));
        return poll().stream().filter(matches).toList();
    }

    List<Envelope> about(String jobId, String mailType) {
        return about(jobId).stream()
                .filter(e -> mailType.equals(e.slurm().mailType()))
                .toList();
    }
}
