package io.herald.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/** A CloudWatch log group with the configured retention, so logs neither vanish early nor pile up forever. */
final class ServiceLogs {

    private ServiceLogs() {}

    static LogGroup group(Construct scope, String id, int retentionDays) {
        LogGroup group = LogGroup.Builder.create(scope, id)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // RetentionDays is an enum in CDK's Java binding; the days themselves were validated in InfraSettings.
        ((CfnLogGroup) group.getNode().getDefaultChild()).setRetentionInDays(retentionDays);
        return group;
    }
}
