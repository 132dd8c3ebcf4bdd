package io.herald.infra;

import io.herald.core.callback.WebhookSigner;
import io.herald.core.config.HeraldConfig;
import java.util.List;
import java.util.Locale;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Signed status callbacks on AWS: the callbacks queue with its dead-letter queue (named, sized and timed as local mode
 * provisions them, {@code callbacks.queue}) and the generated signing secret ({@code callbacks.secret}).
 *
 * <p>Secrets Manager generates characters, not bytes, and cannot prefix them. So the stack generates 44 letters and
 * digits (all in base64's alphabet: 33 bytes, 262 bits) in one secret, and a second secret holds {@code whsec_}
 * followed by a CloudFormation dynamic reference to the first, resolved by CloudFormation when it creates it: the
 * template never holds the value, and the tasks read the second one whole, in the Standard Webhooks form.
 */
final class StatusCallbacks extends Construct {

    /** Base64 characters of the generated key: 33 bytes, more than the signer's minimum. */
    static final int KEY_CHARACTERS = 44;

    private final String name;
    private final Queue queue;
    private final Queue deadLetter;
    private final Secret secret;

    StatusCallbacks(Construct scope, String id, String stackName, HeraldConfig config) {
        super(scope, id);
        HeraldConfig.Callbacks callbacks = config.callbacks();
        this.name = callbacks.queue();
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
                        Duration.seconds(callbacks.queueVisibilityTimeout().toSeconds()))
                // A callback given up on the schedule is recorded by the pipeline; only crashed deliverers end here.
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetter)
                        .maxReceiveCount(callbacks.queueMaxReceiveCount())
                        .build())
                // The schedule's longest wait (10 h by default) plus its earlier attempts: keep callbacks four days.
                .retentionPeriod(Duration.days(4))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        String prefix = stackName.toLowerCase(Locale.ROOT) + "/callbacks/";
        Secret key = Secret.Builder.create(this, "Key")
                .secretName(prefix + "key")
                .description("Herald callbacks: the random half of callbacks.secret (read only by CloudFormation to"
                        + " build " + prefix + "secret)")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(KEY_CHARACTERS)
                        .excludePunctuation(true)
                        .includeSpace(false)
                        .build())
                .build();
        this.secret = Secret.Builder.create(this, "Secret")
                .secretName(prefix + "secret")
                .description("Herald callbacks.secret (" + WebhookSigner.PREFIX + " + base64): signs status callbacks;"
                        + " receivers verify with it, replacing it breaks their verification")
                .secretStringValue(SecretValue.unsafePlainText(
                        WebhookSigner.PREFIX + key.getSecretValue().unsafeUnwrap()))
                .build();
    }

    String queueName() {
        return name;
    }

    Queue queue() {
        return queue;
    }

    Queue deadLetter() {
        return deadLetter;
    }

    Secret secret() {
        return secret;
    }

    /**
     * The api records statuses and so queues their callbacks; it resolves the queue (and its dead letters) at start.
     */
    List<PolicyStatement> apiStatements() {
        return List.of(
                allow(List.of("sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"), queue.getQueueArn()),
                allow(List.of("sqs:GetQueueUrl"), deadLetter.getQueueArn()));
    }

    /**
     * The pipeline queues callbacks for the statuses it records, and posts them: receives, reschedules a failed one by
     * changing its visibility to the schedule's next wait, and deletes it when done or given up.
     */
    List<PolicyStatement> pipelineStatements() {
        return List.of(
                allow(
                        List.of(
                                "sqs:ReceiveMessage",
                                "sqs:DeleteMessage",
                                "sqs:ChangeMessageVisibility",
                                "sqs:SendMessage",
                                "sqs:GetQueueUrl",
                                "sqs:GetQueueAttributes"),
                        queue.getQueueArn()),
                allow(List.of("sqs:GetQueueUrl"), deadLetter.getQueueArn()));
    }

    private static PolicyStatement allow(List<String> actions, String resource) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(resource))
                .build();
    }
}
