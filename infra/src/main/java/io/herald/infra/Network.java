package io.herald.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.constructs.Construct;

/**
 * A VPC over two zones and the ECS cluster. With no NAT gateway the tasks sit in public subnets with public addresses
 * (they only dial out: SQS, DynamoDB, SES, the chat providers; their security groups take nothing in but the load
 * balancer's traffic), which saves a NAT gateway's ~$33 a month plus its per-GB charge; with natGateways > 0 they move
 * to private subnets.
 */
final class Network extends Construct {

    private final Vpc vpc;
    private final Cluster cluster;
    private final boolean publicTasks;

    Network(Construct scope, String id, int natGateways) {
        super(scope, id);
        this.publicTasks = natGateways == 0;
        List<SubnetConfiguration> subnets = new ArrayList<>();
        subnets.add(SubnetConfiguration.builder()
                .name("public")
                .subnetType(SubnetType.PUBLIC)
                .cidrMask(24)
                .build());
        if (!publicTasks) {
            subnets.add(SubnetConfiguration.builder()
                    .name("tasks")
                    .subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                    .cidrMask(22)
                    .build());
        }
        this.vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(natGateways)
                .subnetConfiguration(subnets)
                // The default security group is used by nothing here; locking it down would add a
                // custom-resource Lambda (and an asset to upload) to the stack.
                .restrictDefaultSecurityGroup(false)
                .build();
        this.cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                // RunningTaskCount, the divisor of the pipeline's backlog per task, comes from Container Insights.
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();
    }

    Cluster cluster() {
        return cluster;
    }

    boolean publicTasks() {
        return publicTasks;
    }

    SubnetSelection taskSubnets() {
        return SubnetSelection.builder()
                .subnetType(publicTasks ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS)
                .build();
    }
}
