package io.herald.infra;

import io.herald.core.config.HeraldConfig;
import io.herald.core.provider.ses.SesConfig;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.ses.ConfigurationSet;
import software.amazon.awscdk.services.ses.ConfigurationSetEventDestinationOptions;
import software.amazon.awscdk.services.ses.EmailSendingEvent;
import software.amazon.awscdk.services.ses.EventDestination;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.SqsSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * SES's feedback path to the pipeline: the configuration set publishes bounces, complaints, deliveries, rejections and
 * delivery delays to an SNS topic, which delivers each (as the signed SNS envelope, not raw) to an SQS queue the
 * pipeline reads ({@code providers.ses.feedback}); what the pipeline cannot use, or what keeps failing, goes to its
 * dead-letter queue. The SQS subscription adds the queue policy that lets only this topic send to the queue.
 */
final class SesFeedbackQueue extends Construct {

    /** The feedback queue's name when herald.yaml names none. */
    static final String DEFAULT_NAME = "herald-ses-feedback";

    private static final List<EmailSendingEvent> EVENTS = List.of(
            EmailSendingEvent.BOUNCE,
            EmailSendingEvent.COMPLAINT,
            EmailSendingEvent.DELIVERY,
            EmailSendingEvent.REJECT,
            EmailSendingEvent.DELIVERY_DELAY);

    private final String name;
    private final Topic topic;
    private final Queue queue;
    private final Queue deadLetter;

    SesFeedbackQueue(Construct scope, String id, ConfigurationSet configurationSet, HeraldConfig config) {
        super(scope, id);
        SesConfig.Feedback feedback = config.providers().of(SesConfig.class).feedback();
        this.name = feedback.enabled() ? feedback.queue() : DEFAULT_NAME;
        this.topic = Topic.Builder.create(this, "Events")
                .displayName("Herald SES events")
                .build();
        configurationSet.addEventDestination(
                "ToSns",
                ConfigurationSetEventDestinationOptions.builder()
                        .destination(EventDestination.snsTopic(topic))
                        .events(EVENTS)
                        .build());
        this.deadLetter = Queue.Builder.create(this, "DeadLetter")
                .queueName(name + config.sqs().deadLetterSuffix())
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.queue = Queue.Builder.create(this, "Queue")
                .queueName(name)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .receiveMessageWaitTime(MessageQueues.RECEIVE_WAIT)
                .visibilityTimeout(
                        Duration.seconds(config.sqs().visibilityTimeout().toSeconds()))
                // Feedback that cannot be stored is left for later: after this many tries it waits for a human.
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetter)
                        .maxReceiveCount(config.sqs().maxReceiveCount())
                        .build())
                .retentionPeriod(Duration.days(4))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // Not raw: the pipeline verifies SNS's signature, which only the envelope carries.
        topic.addSubscription(
                SqsSubscription.Builder.create(queue).rawMessageDelivery(false).build());
    }

    /** The queue's name, as the pipeline finds it with GetQueueUrl. */
    String queueName() {
        return name;
    }

    String topicArn() {
        return topic.getTopicArn();
    }

    Queue queue() {
        return queue;
    }

    Queue deadLetter() {
        return deadLetter;
    }

    /** The pipeline receives and deletes feedback, and dead-letters what it cannot use with its reason. */
    List<PolicyStatement> pipelineStatements() {
        return List.of(
                PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of(
                                "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"))
                        .resources(List.of(queue.getQueueArn()))
                        .build(),
                PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of("sqs:SendMessage", "sqs:GetQueueUrl"))
                        .resources(List.of(deadLetter.getQueueArn()))
                        .build());
    }
}
