package io.herald.infra;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Herald on AWS: the queues with their dead-letter queues, the status table, provider secrets, SES, the api behind a
 * load balancer, the pipeline scaled on backlog, and the alarms. Account and region are left to the deployment
 * (CloudFormation pseudo parameters), never written here.
 */
public final class HeraldStack extends Stack {

    private final MessageQueues queues;
    private final StatusStorage storage;
    private final ApiService api;
    private final PipelineService pipeline;
    private final BacklogScaling scaling;
    private final Alarms alarms;

    public HeraldStack(Construct scope, String id, StackProps props, InfraSettings settings, HeraldConfig config) {
        super(scope, id, props);
        this.queues = new MessageQueues(this, "Queues", config.sqs(), config.pipeline());
        this.storage = new StatusStorage(this, "Status", config.status());
        List<ProviderSecrets.Entry> secretEntries = ProviderSecrets.of(config.providers());
        ProviderSecretStore secretStore =
                new ProviderSecretStore(this, "ProviderSecrets", settings.stackName(), secretEntries);
        SesSending ses = settings.sesIdentity().isBlank() ? null : new SesSending(this, "Ses", settings.sesIdentity());

        SesFeedbackQueue sesFeedback =
                ses == null ? null : new SesFeedbackQueue(this, "SesFeedback", ses.configurationSet(), config);
        Map<String, String> sending = new LinkedHashMap<>(ses == null ? Map.of() : ses.environment());
        if (sesFeedback != null) {
            sending.put("providers.ses.feedback.queue", sesFeedback.queueName());
            sending.put("providers.ses.feedback.topicArn", sesFeedback.topicArn());
        }
        // Status callbacks only when the stack setting asks: the services take callbacks as on when their secret is
        // set.
        StatusCallbacks callbacks =
                settings.callbacks() ? new StatusCallbacks(this, "Callbacks", settings.stackName(), config) : null;
        ContainerEnvironment environment = new ContainerEnvironment(config, Aws.REGION, sending, callbacks != null);
        Network network = new Network(this, "Network", settings.natGateways());

        // The magic links' signing key: nobody needs to know it, so the stack generates it; every api task
        // reads the same one. Only with api.selfService.publicUrl set (links on).
        Secret linkSecret = config.api().selfService().enabled()
                ? Secret.Builder.create(this, "SelfServiceLinkSecret")
                        .secretName(settings.stackName().toLowerCase(Locale.ROOT) + "/api/selfService/linkSecret")
                        .description("Herald " + DeploymentConfig.LINK_SECRET_KEY
                                + ": signs /#/me links and sessions (read by " + "the api as " + LINK_SECRET_VARIABLE
                                + "); replacing it ends every session")
                        .generateSecretString(SecretStringGenerator.builder()
                                .passwordLength(64)
                                .excludePunctuation(true)
                                .build())
                        .build()
                : null;
        // Unsubscribe links: the pipeline signs them, the api checks them, so both read this one generated key.
        Secret unsubscribeSecret = config.unsubscribeBaseUrl().isEmpty()
                ? null
                : Secret.Builder.create(this, "UnsubscribeSecret")
                        .secretName(settings.stackName().toLowerCase(Locale.ROOT) + "/unsubscribe/secret")
                        .description("Herald " + DeploymentConfig.UNSUBSCRIBE_SECRET_KEY
                                + ": signs List-Unsubscribe links (read by the pipeline and the api as "
                                + UNSUBSCRIBE_SECRET_VARIABLE + "); replacing it breaks every link already sent")
                        .generateSecretString(SecretStringGenerator.builder()
                                .passwordLength(64)
                                .excludePunctuation(true)
                                .build())
                        .build();
        Map<String, ISecret> apiSecrets = new LinkedHashMap<>();
        if (linkSecret != null) {
            apiSecrets.put(LINK_SECRET_VARIABLE, linkSecret);
        }
        if (unsubscribeSecret != null) {
            apiSecrets.put(UNSUBSCRIBE_SECRET_VARIABLE, unsubscribeSecret);
        }
        List<PolicyStatement> apiPermissions = new ArrayList<>(TaskPermissions.api(queues.pairs(), storage.table()));
        if (callbacks != null) {
            apiSecrets.put(CALLBACKS_SECRET_VARIABLE, callbacks.secret());
            apiPermissions.addAll(callbacks.apiStatements());
        }
        this.api = new ApiService(this, "Api", network, settings, environment.api(), apiSecrets, apiPermissions);

        boolean collector = !settings.metricsCollector().isBlank();
        LogGroup metricsLogs =
                collector ? ServiceLogs.group(this, "PipelineMetricsLogs", settings.logRetentionDays()) : null;
        // Only the enabled providers' secrets reach the task (and its execution role may read only those).
        Map<String, ISecret> pipelineSecrets = new LinkedHashMap<>();
        secretStore.secrets().forEach((entry, secret) -> {
            if (entry.enabled()) {
                pipelineSecrets.put(entry.variable(), secret);
            }
        });
        if (unsubscribeSecret != null) {
            pipelineSecrets.put(UNSUBSCRIBE_SECRET_VARIABLE, unsubscribeSecret);
        }
        List<PolicyStatement> pipelineExtra =
                new ArrayList<>(sesFeedback == null ? List.of() : sesFeedback.pipelineStatements());
        if (callbacks != null) {
            pipelineSecrets.put(CALLBACKS_SECRET_VARIABLE, callbacks.secret());
            pipelineExtra.addAll(callbacks.pipelineStatements());
        }
        this.pipeline = new PipelineService(
                this,
                "Pipeline",
                network,
                settings,
                environment.pipeline(),
                pipelineSecrets,
                TaskPermissions.pipeline(
                        queues.pairs(),
                        storage.table(),
                        ses == null ? null : ses.sendStatement(),
                        pipelineExtra,
                        metricsLogs),
                config.pipeline().shutdownDeadline(),
                metricsLogs);
        this.scaling = new BacklogScaling(
                this,
                "PipelineScaling",
                network.cluster(),
                pipeline.service(),
                queues.pairs().stream()
                        .map(p -> (software.amazon.awscdk.services.sqs.IQueue) p.queue())
                        .toList(),
                settings);
        // The feedback queue is watched like a work queue: a dead letter there is feedback not recorded.
        List<MessageQueues.Pair> watched = new java.util.ArrayList<>(queues.pairs());
        if (sesFeedback != null) {
            watched.add(new MessageQueues.Pair(sesFeedback.queueName(), sesFeedback.queue(), sesFeedback.deadLetter()));
        }
        List<MessageQueues.Pair> retrying = callbacks == null
                ? List.of()
                : List.of(new MessageQueues.Pair(callbacks.queueName(), callbacks.queue(), callbacks.deadLetter()));
        this.alarms = new Alarms(
                this, "Alarms", settings, watched, retrying, api.service().getLoadBalancer(), collector);

        ManagedPolicy producer = ManagedPolicy.Builder.create(this, "ProducerPolicy")
                .description("Herald producer outside AWS (the Slurm forwarder): send to Herald's queues only")
                .statements(TaskPermissions.producer(queues.pairs()))
                .build();

        output(
                "ApiUrl",
                "the API's address",
                (settings.https() ? "https://" : "http://")
                        + api.service().getLoadBalancer().getLoadBalancerDnsName());
        output(
                "AlarmTopic",
                "SNS topic of every alarm: subscribe e-mail, chat or paging here",
                alarms.topic().getTopicArn());
        output(
                "ProducerPolicyArn",
                "attach to the Slurm controller's IAM user or role (docs/slurm.md)",
                producer.getManagedPolicyArn());
        output(
                "StatusTable",
                "DynamoDB table of delivery status and idempotency records",
                storage.table().getTableName());
        if (sesFeedback != null) {
            output(
                    "SesFeedbackQueue",
                    "SES events (bounces, complaints, ...) via SNS: queue and dead-letter queue URLs",
                    sesFeedback.queue().getQueueUrl() + " "
                            + sesFeedback.deadLetter().getQueueUrl());
        }
        if (callbacks != null) {
            output(
                    "CallbacksQueue",
                    "status callbacks: queue and dead-letter queue URLs",
                    callbacks.queue().getQueueUrl() + " "
                            + callbacks.deadLetter().getQueueUrl());
            output(
                    "CallbacksSecret",
                    "callbacks.secret (whsec_...): give it to callback receivers to verify signatures",
                    callbacks.secret().getSecretName());
        }
        queues.pairs()
                .forEach(p -> output(
                        "Queue-" + p.name(),
                        "queue and dead-letter queue URLs",
                        p.queue().getQueueUrl() + " " + p.deadLetter().getQueueUrl()));
        // One output per secret, named for its provider and key: a provider may have several (ntfy's token, password).
        secretStore
                .secrets()
                .forEach((entry, secret) -> output(
                        "Secret-" + entry.provider() + "-" + entry.field(),
                        "put " + entry.key() + " here" + (entry.enabled() ? "" : " (provider disabled in herald.yaml)"),
                        secret.getSecretName()));
    }

    private static final String LINK_SECRET_VARIABLE =
            ConfigLoader.environmentVariable(DeploymentConfig.LINK_SECRET_KEY);
    private static final String UNSUBSCRIBE_SECRET_VARIABLE =
            ConfigLoader.environmentVariable(DeploymentConfig.UNSUBSCRIBE_SECRET_KEY);
    private static final String CALLBACKS_SECRET_VARIABLE =
            ConfigLoader.environmentVariable(DeploymentConfig.CALLBACKS_SECRET_KEY);

    private void output(String id, String description, String value) {
        CfnOutput.Builder.create(this, id.replaceAll("[^A-Za-z0-9]", ""))
                .description(description)
                .value(value)
                .build();
    }

    MessageQueues queues() {
        return queues;
    }

    StatusStorage storage() {
        return storage;
    }

    ApiService api() {
        return api;
    }

    PipelineService pipeline() {
        return pipeline;
    }

    BacklogScaling scaling() {
        return scaling;
    }

    Alarms alarms() {
        return alarms;
    }
}
