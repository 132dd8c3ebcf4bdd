package io.herald.core.sqs;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;

/**
 * How full a queue and its dead-letter queue are, from SQS's GetQueueAttributes: one request per
 * queue, approximate (SQS's counts lag by up to a minute).
 *
 * @param queue       the work queue
 * @param deadLetter  its dead-letter queue
 */
public record QueueStats(Depth queue, Depth deadLetter) {

    private static final List<QueueAttributeName> COUNTS = List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    /**
     * @param name              the queue's name
     * @param depth             messages waiting to be received (ApproximateNumberOfMessages)
     * @param inFlight          received and not yet deleted or released (ApproximateNumberOfMessagesNotVisible)
     * @param delayed           sent with a delay that has not passed (ApproximateNumberOfMessagesDelayed)
     * @param oldestAgeSeconds  age of the oldest message, or null: GetQueueAttributes has no such
     *                          attribute, ElasticMQ has none at all, and in AWS it is the CloudWatch
     *                          metric ApproximateAgeOfOldestMessage, which Herald does not read
     */
    public record Depth(String name, long depth, long inFlight, long delayed, Long oldestAgeSeconds) {
    }

    /** One entry per queue, in the order given. */
    public static List<QueueStats> of(SqsClient sqs, List<QueueRef> queues) {
        return queues.stream()
                .map(q -> new QueueStats(depth(sqs, q.name(), q.url()), depth(sqs, q.deadLetterName(), q.deadLetterUrl())))
                .toList();
    }

    private static Depth depth(SqsClient sqs, String name, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(COUNTS)).attributes();
        return new Depth(name, count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED), null);
    }

    private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        return Long.parseLong(attributes.getOrDefault(name, "0"));
    }
}
