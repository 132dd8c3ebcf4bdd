package io.herald.core.sqs;

import io.herald.core.config.ConfigException;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Finds, or in local mode creates, the configured queues and their dead-letter queues. */
public final class SqsQueues {

    /** SQS's longest retention: what cannot be delivered should wait as long as possible for a human. */
    private static final String FOURTEEN_DAYS_SECONDS = "1209600";

    private SqsQueues() {}

    /**
     * Creates every configured queue with a dead-letter queue and a redrive policy. CreateQueue is idempotent for
     * identical attributes, so this is safe to run against queues that exist.
     */
    public static List<QueueRef> provision(SqsClient sqs, HeraldConfig.Sqs config) {
        List<QueueRef> refs = new ArrayList<>();
        for (String name : config.queues()) {
            String deadLetterName = name + config.deadLetterSuffix();
            String deadLetterUrl = sqs.createQueue(b -> b.queueName(deadLetterName)
                            .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, FOURTEEN_DAYS_SECONDS)))
                    .queueUrl();
            String deadLetterArn = sqs.getQueueAttributes(
                            b -> b.queueUrl(deadLetterUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            String redrivePolicy = "{\"maxReceiveCount\":\"" + config.maxReceiveCount()
                    + "\",\"deadLetterTargetArn\":\"" + deadLetterArn + "\"}";
            String url = sqs.createQueue(b -> b.queueName(name)
                            .attributes(Map.of(
                                    QueueAttributeName.REDRIVE_POLICY,
                                    redrivePolicy,
                                    QueueAttributeName.VISIBILITY_TIMEOUT,
                                    Long.toString(config.visibilityTimeout().toSeconds()))))
                    .queueUrl();
            refs.add(new QueueRef(name, url, deadLetterUrl));
        }
        return List.copyOf(refs);
    }

    /**
     * Looks up the configured queues, which must exist (in AWS they come from the CDK stack).
     *
     * @throws ConfigException naming each queue that does not exist
     */
    public static List<QueueRef> resolve(SqsClient sqs, HeraldConfig.Sqs config) {
        List<QueueRef> refs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : config.queues()) {
            String url = urlOf(sqs, name, missing);
            String deadLetterUrl = urlOf(sqs, name + config.deadLetterSuffix(), missing);
            if (url != null && deadLetterUrl != null) {
                refs.add(new QueueRef(name, url, deadLetterUrl));
            }
        }
        if (!missing.isEmpty()) {
            String where = config.endpoint() == null || config.endpoint().isBlank()
                    ? "in AWS region " + config.region()
                    : "at " + config.endpoint();
            throw new ConfigException(missing.stream()
                    .map(q -> "sqs.queues (" + ConfigLoader.environmentVariable("sqs.queues") + "): queue '" + q
                            + "' does not exist " + where + "; create it (the CDK stack does) or fix the name")
                    .toList());
        }
        return List.copyOf(refs);
    }

    private static String urlOf(SqsClient sqs, String name, List<String> missing) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            missing.add(name);
            return null;
        }
    }
}
