package io.herald.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedFargateService;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The HTTP API on Fargate behind a public Application Load Balancer: HTTPS with the given ACM certificate (plain HTTP
 * redirected), or plain HTTP when none is given.
 */
final class ApiService extends Construct {

    private final ApplicationLoadBalancedFargateService service;
    private final LogGroup logs;

    /** @param secrets Secrets Manager secrets by the variable the api reads them from (the magic links' key) */
    ApiService(
            Construct scope,
            String id,
            Network network,
            InfraSettings settings,
            Map<String, String> environment,
            Map<String, ISecret> secrets,
            List<PolicyStatement> permissions) {
        super(scope, id);
        this.logs = ServiceLogs.group(this, "Logs", settings.logRetentionDays());
        FargateTaskDefinition task =
                TaskDefinitions.linux(this, settings.apiCpu(), settings.apiMemoryMiB(), permissions);
        Map<String, software.amazon.awscdk.services.ecs.Secret> containerSecrets = new LinkedHashMap<>();
        secrets.forEach((variable, secret) ->
                containerSecrets.put(variable, software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(secret)));
        task.addContainer(
                "api",
                ContainerDefinitionOptions.builder()
                        .image(Images.of(this, settings, "api", settings.apiImage()))
                        .command(List.of("api"))
                        .environment(withJvm(environment))
                        .secrets(containerSecrets)
                        .portMappings(List.of(PortMapping.builder()
                                .containerPort(ContainerEnvironment.API_PORT)
                                .build()))
                        .healthCheck(ContainerHealth.http(ContainerEnvironment.API_PORT, "/healthz"))
                        .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder()
                                .logGroup(logs)
                                .streamPrefix("api")
                                .build()))
                        .build());

        ApplicationLoadBalancedFargateService.Builder alb = ApplicationLoadBalancedFargateService.Builder.create(
                        this, "Service")
                .cluster(network.cluster())
                .taskDefinition(task)
                .desiredCount(settings.apiTasks())
                .publicLoadBalancer(true)
                .assignPublicIp(network.publicTasks())
                .taskSubnets(network.taskSubnets())
                .minHealthyPercent(100)
                .circuitBreaker(DeploymentCircuitBreaker.builder()
                        .enable(true)
                        .rollback(true)
                        .build())
                .healthCheckGracePeriod(Duration.seconds(60));
        if (settings.https()) {
            alb.protocol(ApplicationProtocol.HTTPS)
                    .certificate(Certificate.fromCertificateArn(this, "Certificate", settings.certificateArn()))
                    .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                    .redirectHttp(true);
        } else {
            alb.protocol(ApplicationProtocol.HTTP);
        }
        this.service = alb.build();
        // Traffic goes only to tasks whose queues and table answer (/readyz); the container's own
        // check (/healthz) only restarts a process that stopped answering at all.
        service.getTargetGroup()
                .configureHealthCheck(software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder()
                        .path("/readyz")
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(15))
                        .timeout(Duration.seconds(5))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(3)
                        .build());
        // Requests take milliseconds; 300 s (the default) only slows every deployment down.
        service.getTargetGroup().setAttribute("deregistration_delay.timeout_seconds", "30");
    }

    /** JVM sizing follows the task's memory instead of a fixed heap. */
    static Map<String, String> withJvm(Map<String, String> environment) {
        java.util.Map<String, String> env = new java.util.TreeMap<>(environment);
        env.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
        return env;
    }

    ApplicationLoadBalancedFargateService service() {
        return service;
    }

    LogGroup logs() {
        return logs;
    }
}
