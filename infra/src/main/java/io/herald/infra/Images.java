package io.herald.infra;

import java.util.Locale;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.constructs.Construct;

/**
 * Where the api and pipeline images come from: the image repositories stack's ECR repositories at the configured tag,
 * or full image references given in the settings.
 */
final class Images {

    private Images() {}

    /** ECR repository name of one service's images, e.g. {@code herald/api}. */
    static String repositoryName(String stackName, String service) {
        return stackName.toLowerCase(Locale.ROOT) + "/" + service;
    }

    static ContainerImage of(Construct scope, InfraSettings settings, String service, String override) {
        if (!override.isBlank()) {
            return ContainerImage.fromRegistry(override);
        }
        IRepository repository = Repository.fromRepositoryName(
                scope, service + "-repository", repositoryName(settings.stackName(), service));
        // CDK grants the task's execution role pull rights on this repository only, plus
        // ecr:GetAuthorizationToken on "*": that call has no resource-level permissions, so AWS
        // requires "*" for it (the one "*" resource in the stack; HeraldStackTest checks so).
        return ContainerImage.fromEcrRepository(repository, settings.imageTag());
    }
}
