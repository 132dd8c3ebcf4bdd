package io.herald.infra;

import java.util.List;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/** The Fargate task definition both Herald services run in: Linux on x86-64, as the images are built. */
final class TaskDefinitions {

    private TaskDefinitions() {}

    /** @param permissions what the task's code calls, and nothing more */
    static FargateTaskDefinition linux(Construct scope, int cpu, int memoryMiB, List<PolicyStatement> permissions) {
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(scope, "Task")
                .cpu(cpu)
                .memoryLimitMiB(memoryMiB)
                .runtimePlatform(RuntimePlatform.builder()
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .build())
                .build();
        permissions.forEach(task::addToTaskRolePolicy);
        return task;
    }
}
