package io.herald.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTarget;
import software.amazon.awscdk.services.applicationautoscaling.ServiceNamespace;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Scales the pipeline on backlog per task: the visible messages of every queue added up, divided by the tasks running,
 * kept near {@code backlogPerTask} by target tracking.
 *
 * <p>CDK's target-tracking construct takes a single metric only, and plain queue depth would add tasks without regard
 * to how many already run; Application Auto Scaling itself accepts metric math, so the policy is written at the
 * CloudFormation level. RunningTaskCount comes from Container Insights (enabled on the cluster); with at least one task
 * it is never zero.
 */
final class BacklogScaling extends Construct {

    private final ScalableTarget target;
    private final CfnScalingPolicy policy;

    BacklogScaling(
            Construct scope,
            String id,
            ICluster cluster,
            FargateService service,
            List<IQueue> queues,
            InfraSettings settings) {
        super(scope, id);
        this.target = ScalableTarget.Builder.create(this, "Target")
                .serviceNamespace(ServiceNamespace.ECS)
                .resourceId("service/" + cluster.getClusterName() + "/" + service.getServiceName())
                .scalableDimension("ecs:service:DesiredCount")
                .minCapacity(settings.pipelineMinTasks())
                .maxCapacity(settings.pipelineMaxTasks())
                .build();

        List<CfnScalingPolicy.TargetTrackingMetricDataQueryProperty> metrics = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++) {
            metrics.add(query(
                    "q" + i,
                    "AWS/SQS",
                    "ApproximateNumberOfMessagesVisible",
                    "Sum",
                    List.of(dimension("QueueName", queues.get(i).getQueueName()))));
        }
        metrics.add(query(
                "tasks",
                "ECS/ContainerInsights",
                "RunningTaskCount",
                "Average",
                List.of(
                        dimension("ClusterName", cluster.getClusterName()),
                        dimension("ServiceName", service.getServiceName()))));
        String visible =
                IntStream.range(0, queues.size()).mapToObj(i -> "q" + i).collect(Collectors.joining(" + "));
        metrics.add(CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                .id("backlogPerTask")
                .expression("(" + visible + ") / tasks")
                .label("visible messages per running pipeline task")
                .returnData(true)
                .build());

        this.policy = CfnScalingPolicy.Builder.create(this, "BacklogPerTask")
                .policyName("backlog-per-task")
                .policyType("TargetTrackingScaling")
                .scalingTargetId(target.getScalableTargetId())
                .targetTrackingScalingPolicyConfiguration(
                        CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty.builder()
                                .targetValue(settings.backlogPerTask())
                                .customizedMetricSpecification(
                                        CfnScalingPolicy.CustomizedMetricSpecificationProperty.builder()
                                                .metrics(metrics)
                                                .build())
                                // Out fast when mail piles up; in slowly, since SQS's figures lag a minute or more.
                                .scaleOutCooldown(60)
                                .scaleInCooldown(300)
                                .build())
                .build();
    }

    private static CfnScalingPolicy.TargetTrackingMetricDataQueryProperty query(
            String id,
            String namespace,
            String name,
            String stat,
            List<CfnScalingPolicy.TargetTrackingMetricDimensionProperty> dimensions) {
        return CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                .id(id)
                .metricStat(CfnScalingPolicy.TargetTrackingMetricStatProperty.builder()
                        .metric(CfnScalingPolicy.TargetTrackingMetricProperty.builder()
                                .namespace(namespace)
                                .metricName(name)
                                .dimensions(dimensions)
                                .build())
                        .stat(stat)
                        .build())
                .returnData(false)
                .build();
    }

    private static CfnScalingPolicy.TargetTrackingMetricDimensionProperty dimension(String name, String value) {
        return CfnScalingPolicy.TargetTrackingMetricDimensionProperty.builder()
                .name(name)
                .value(value)
                .build();
    }

    CfnScalingPolicy policy() {
        return policy;
    }

    ScalableTarget target() {
        return target;
    }
}
