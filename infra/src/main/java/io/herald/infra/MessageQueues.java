package io.herald.infra;

import io.herald.core.config.HeraldConfig;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The configured SQS queues, each with its dead-letter queue, named exactly as herald.yaml names them so the services
 * find them with GetQueueUrl.
 */
final class MessageQueues extends Construct {

    /** One queue the producers spread over and the pipeline reads, with where its failures go. */
    record Pair(String name, Queue queue, Queue deadLetter) {}

    /** SQS's longest receive wait: empty receives are what an idle pipeline pays for. */
    static final Duration RECEIVE_WAIT = Duration.seconds(20);
    /** SQS's longest retention: a dead letter should wait as long as possible for a human. */
    private static final Duration DEAD_LETTER_RETENTION = Duration.days(14);
    /** Long enough to ride out a weekend-long provider outage without losing messages. */
    private static final Duration RETENTION = Duration.days(4);

    private final List<Pair> pairs;

    MessageQueues(Construct scope, String id, HeraldConfig.Sqs sqs, HeraldConfig.PipelineSettings pipeline) {
        super(scope, id);
        // The services refuse to start otherwise, but a stack that cannot run should not deploy either.
        if (sqs.visibilityTimeout().compareTo(pipeline.sendTimeout()) <= 0) {
            throw new IllegalArgumentException(
                    "sqs.visibilityTimeout (" + sqs.visibilityTimeout().toSeconds()
                            + " s) must exceed pipeline.sendTimeout ("
                            + pipeline.sendTimeout().toSeconds()
                            + " s), or a slow send lets its message reappear and go out twice");
        }
        List<Pair> made = new ArrayList<>();
        for (String name : sqs.queues()) {
            Queue deadLetter = Queue.Builder.create(this, name + "-dead-letter")
                    .queueName(name + sqs.deadLetterSuffix())
                    // SQS-managed keys: encrypted at rest with no KMS key policy to grant and no KMS calls to pay for.
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .retentionPeriod(DEAD_LETTER_RETENTION)
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            Queue queue = Queue.Builder.create(this, name)
                    .queueName(name)
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .receiveMessageWaitTime(RECEIVE_WAIT)
                    .visibilityTimeout(Duration.seconds(sqs.visibilityTimeout().toSeconds()))
                    .retentionPeriod(RETENTION)
                    .deadLetterQueue(DeadLetterQueue.builder()
                            .queue(deadLetter)
                            .maxReceiveCount(sqs.maxReceiveCount())
                            .build())
                    // Messages in flight outlive a stack update gone wrong: keep the queue if the stack goes.
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            made.add(new Pair(name, queue, deadLetter));
        }
        this.pairs = List.copyOf(made);
    }

    List<Pair> pairs() {
        return pairs;
    }
}
