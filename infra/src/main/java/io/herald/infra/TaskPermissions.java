package io.herald.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.ILogGroup;

/**
 * What each service's task role may do: exactly the calls its code makes, on this stack's queues, table, SES identity
 * and log group, and nothing on {@code *}. The list is spelled out rather than taken from CDK's grant helpers, which
 * add calls Herald never makes (e.g. PurgeQueue).
 */
final class TaskPermissions {

    private TaskPermissions() {}

    /**
     * The API resolves queue URLs at start, sends (SendMessageBatch authorises as SendMessage), asks each queue for an
     * attribute in /readyz, and reads and writes status and idempotency items and the suppression list (listing all of
     * it is a Scan, GET /v1/admin/suppressions without an address). For the admin overview it also reads the
     * dead-letter queues: their counts, a peek for the oldest age, and the latest dead letters, received with a short
     * hold and released at once (the visibility change). It never deletes and never receives from a work queue: only
     * the pipeline takes work.
     */
    static List<PolicyStatement> api(List<MessageQueues.Pair> queues, ITable table) {
        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(allow(
                List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                queues.stream().map(p -> p.queue().getQueueArn()).toList()));
        statements.add(allow(
                List.of(
                        "sqs:GetQueueUrl",
                        "sqs:GetQueueAttributes",
                        "sqs:ReceiveMessage",
                        "sqs:ChangeMessageVisibility"),
                queues.stream().map(p -> p.deadLetter().getQueueArn()).toList()));
        statements.add(allow(
                List.of(
                        "dynamodb:GetItem",
                        "dynamodb:PutItem",
                        "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem",
                        "dynamodb:Scan",
                        "dynamodb:DescribeTable"),
                List.of(table.getTableArn())));
        return statements;
    }

    /**
     * The pipeline reads and settles messages (DeleteMessageBatch and ChangeMessageVisibilityBatch authorise as their
     * single forms), dead-letters with a reason by sending to the dead-letter queue itself, parks a paused channel's
     * message by sending a fresh copy to its own queue (so waiting does not count toward the redrive), records delivery
     * status and reads and writes pauses and shared health in the table, checks a read's emails against the suppression
     * list (one BatchGetItem), sends through the stack's email identity, and its metrics sidecar writes EMF events to
     * one log group. With SES feedback, it also reads the feedback queue ({@link SesFeedbackQueue#pipelineStatements}).
     */
    static List<PolicyStatement> pipeline(
            List<MessageQueues.Pair> queues,
            ITable table,
            PolicyStatement emailSending,
            List<PolicyStatement> sesFeedback,
            ILogGroup metricsLogs) {
        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(allow(
                List.of(
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                        "sqs:GetQueueUrl",
                        "sqs:SendMessage"),
                queues.stream().map(p -> p.queue().getQueueArn()).toList()));
        statements.add(allow(
                List.of("sqs:SendMessage", "sqs:GetQueueUrl"),
                queues.stream().map(p -> p.deadLetter().getQueueArn()).toList()));
        statements.add(allow(
                List.of("dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"),
                List.of(table.getTableArn())));
        if (emailSending != null) {
            statements.add(emailSending);
        }
        statements.addAll(sesFeedback);
        if (metricsLogs != null) {
            statements.add(allow(
                    List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                    List.of(metricsLogs.getLogGroupArn())));
        }
        return statements;
    }

    /**
     * A producer outside AWS, such as the Slurm forwarder: resolves the queues and sends to them, nothing else.
     * Attached to whatever identity the Slurm controller has (docs/slurm.md).
     */
    static List<PolicyStatement> producer(List<MessageQueues.Pair> queues) {
        return List.of(
                allow(
                        List.of("sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"),
                        queues.stream().map(p -> p.queue().getQueueArn()).toList()),
                allow(
                        List.of("sqs:GetQueueUrl"),
                        queues.stream().map(p -> p.deadLetter().getQueueArn()).toList()));
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build();
    }
}
