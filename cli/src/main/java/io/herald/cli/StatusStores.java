package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.feedback.DeferralSharing;
import io.herald.core.feedback.DynamoSoftBounces;
import io.herald.core.feedback.DynamoSuppressions;
import io.herald.core.feedback.FeedbackDailyCounts;
import io.herald.core.feedback.FeedbackMeters;
import io.herald.core.feedback.FeedbackRecorder;
import io.herald.core.feedback.FeedbackSink;
import io.herald.core.feedback.Suppressions;
import io.herald.core.health.ReadinessCheck;
import io.herald.core.idempotency.DynamoIdempotencyStore;
import io.herald.core.preferences.DynamoPreferencesStore;
import io.herald.core.sqs.QueueRef;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusTable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The status table's stores, as the API and the pipeline share them: one DynamoDB client, the delivery status store,
 * the API's idempotency store, pauses with shared provider health, Slurm users' preferences and the suppression list.
 * Closing it closes the client.
 */
record StatusStores(
        DynamoDbClient dynamo,
        DynamoStatusStore status,
        DynamoIdempotencyStore idempotency,
        DynamoControlStore control,
        DynamoPreferencesStore preferences,
        DynamoSuppressions suppressions,
        String table)
        implements AutoCloseable {

    /**
     * An idempotency claim blocks its key this long if the API instance holding it dies; longer than any request takes,
     * SQS and DynamoDB retries included.
     */
    static final Duration IDEMPOTENCY_LEASE = Duration.ofSeconds(60);

    /** @param createTable create the table if it is missing (local mode; in AWS the CDK stack owns it) */
    static StatusStores open(HeraldConfig config, boolean createTable, Clock clock) {
        return open(config, createTable, clock, List.of());
    }

    /** @param interceptors see every request to the table (the pipeline counts them in its metrics) */
    static StatusStores open(
            HeraldConfig config, boolean createTable, Clock clock, List<ExecutionInterceptor> interceptors) {
        DynamoDbClient dynamo = DynamoDbClients.create(config.status(), interceptors);
        try {
            String table = config.status().table();
            if (createTable) {
                StatusTable.createIfMissing(dynamo, table);
            }
            return new StatusStores(
                    dynamo,
                    new DynamoStatusStore(dynamo, table, config.status().ttl(), clock),
                    new DynamoIdempotencyStore(
                            dynamo, table, config.api().idempotencyWindow(), IDEMPOTENCY_LEASE, clock),
                    new DynamoControlStore(dynamo, table, config.control().staleAfter(), clock),
                    new DynamoPreferencesStore(dynamo, table),
                    new DynamoSuppressions(dynamo, table),
                    table);
        } catch (RuntimeException e) {
            dynamo.close();
            throw e;
        }
    }

    /**
     * The sink the feedback intakes hand their events to (issue 18): this table's status store and soft-bounce counts,
     * the given suppression list, {@code suppression.softBounces} of the config.
     *
     * @param meters the process's feedback counters (the pipeline's are {@code PipelineMetrics.feedback()})
     */
    /**
     * @param statusStore where the feedback's states go: the process's status store as its callbacks wrap it, so a
     *     bounce or complaint is posted to the message's callback URL like any other state
     */
    FeedbackRecorder feedbackRecorder(
            HeraldConfig config,
            StatusStore statusStore,
            Suppressions suppressions,
            FeedbackMeters meters,
            Clock clock) {
        return new FeedbackRecorder(
                statusStore,
                suppressions,
                new DynamoSoftBounces(dynamo, table, clock),
                config.suppression().softBounces(),
                meters,
                feedbackDailyCounts(clock));
    }

    /**
     * The feedback sink of the API's webhooks: the recorder of {@link #feedbackRecorder}, and each deferral published
     * to the control store, where the pipelines pick it up to slow that recipient domain.
     *
     * @param reporter the API process's name in the deferrals it publishes
     */
    FeedbackSink webhookFeedback(
            HeraldConfig config, StatusStore statusStore, FeedbackMeters meters, String reporter, Clock clock) {
        return new DeferralSharing(
                feedbackRecorder(config, statusStore, suppressions(), meters, clock), control(), reporter, clock);
    }

    /** Feedback per sender domain and day: the recorders of both processes write it, the overview reads it. */
    FeedbackDailyCounts feedbackDailyCounts(Clock clock) {
        return new FeedbackDailyCounts(dynamo, table, clock);
    }

    /** /readyz: the status table answers and is active. */
    ReadinessCheck readiness() {
        return new ReadinessCheck("statusStore", () -> StatusTable.problem(dynamo, table));
    }

    /** /readyz: every queue the API sends to answers. */
    static ReadinessCheck sqsReadiness(SqsClient sqs, List<QueueRef> queues) {
        return new ReadinessCheck("sqs", () -> {
            for (QueueRef queue : queues) {
                sqs.getQueueAttributes(b -> b.queueUrl(queue.url()).attributeNames(QueueAttributeName.QUEUE_ARN));
            }
            return Optional.empty();
        });
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
