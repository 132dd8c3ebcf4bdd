package io.herald.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerDependency;
import software.amazon.awscdk.services.ecs.ContainerDependencyCondition;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The pipeline on Fargate: no load balancer and no inbound traffic, a container health check on its admin port,
 * provider credentials from Secrets Manager, and an optional metrics sidecar.
 */
final class PipelineService extends Construct {

    /** Memory of the metrics sidecar, taken from the task's share. */
    private static final int COLLECTOR_MEMORY_MIB = 128;

    private final FargateService service;
    private final LogGroup logs;

    PipelineService(
            Construct scope,
            String id,
            Network network,
            InfraSettings settings,
            Map<String, String> environment,
            Map<String, ISecret> secrets,
            List<PolicyStatement> permissions,
            java.time.Duration shutdownDeadline,
            LogGroup metricsLogs) {
        super(scope, id);
        this.logs = ServiceLogs.group(this, "Logs", settings.logRetentionDays());
        FargateTaskDefinition task =
                TaskDefinitions.linux(this, settings.pipelineCpu(), settings.pipelineMemoryMiB(), permissions);

        Map<String, software.amazon.awscdk.services.ecs.Secret> containerSecrets = new LinkedHashMap<>();
        secrets.forEach((variable, secret) ->
                containerSecrets.put(variable, software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(secret)));
        ContainerDefinition pipeline = task.addContainer(
                "pipeline",
                ContainerDefinitionOptions.builder()
                        .image(Images.of(this, settings, "pipeline", settings.pipelineImage()))
                        .command(List.of("pipeline"))
                        // With the sidecar beside it, the JVM's share (and so its heap, a percentage of it)
                        // must leave the sidecar's memory free, or the task outgrows its size.
                        .memoryLimitMiB(
                                metricsLogs == null ? null : settings.pipelineMemoryMiB() - COLLECTOR_MEMORY_MIB)
                        .environment(ApiService.withJvm(environment))
                        .secrets(containerSecrets)
                        // /healthz: a process that answers; /readyz would restart tasks whenever SQS or the table
                        // hiccup.
                        .healthCheck(ContainerHealth.http(ContainerEnvironment.ADMIN_PORT, "/healthz"))
                        // SIGTERM, then shutdownDeadline for sends in flight, then releasing the rest; SIGKILL after
                        // this.
                        .stopTimeout(Duration.seconds(Math.min(120, shutdownDeadline.toSeconds() + 15)))
                        .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder()
                                .logGroup(logs)
                                .streamPrefix("pipeline")
                                .build()))
                        .build());

        if (metricsLogs != null) {
            ContainerDefinition collector = task.addContainer(
                    "metrics",
                    ContainerDefinitionOptions.builder()
                            .image(ContainerImage.fromRegistry(settings.metricsCollector()))
                            // Losing metrics must never stop delivery.
                            .essential(false)
                            .memoryLimitMiB(COLLECTOR_MEMORY_MIB)
                            .environment(Map.of(
                                    "AOT_CONFIG_CONTENT",
                                    MetricsCollector.config(settings.stackName(), metricsLogs.getLogGroupName())))
                            .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder()
                                    .logGroup(logs)
                                    .streamPrefix("metrics")
                                    .build()))
                            .build());
            collector.addContainerDependencies(ContainerDependency.builder()
                    .container(pipeline)
                    .condition(ContainerDependencyCondition.START)
                    .build());
        }

        SecurityGroup group = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(network.cluster().getVpc())
                .description("Herald pipeline: outbound only (SQS, DynamoDB, SES, chat providers)")
                .allowAllOutbound(true)
                .build();
        this.service = FargateService.Builder.create(this, "Service")
                .cluster(network.cluster())
                .taskDefinition(task)
                // No desiredCount: the scaling policy owns it, and a stack update must not reset it.
                .assignPublicIp(network.publicTasks())
                .vpcSubnets(network.taskSubnets())
                .securityGroups(List.of(group))
                .minHealthyPercent(100)
                .circuitBreaker(DeploymentCircuitBreaker.builder()
                        .enable(true)
                        .rollback(true)
                        .build())
                .build();
    }

    FargateService service() {
        return service;
    }

    LogGroup logs() {
        return logs;
    }
}
