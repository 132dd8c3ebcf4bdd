package io.herald.infra;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.constructs.Construct;

/**
 * The ECR repositories of the api and pipeline images. A stack of their own, deployed first: the services' stack cannot
 * start tasks until an image has been pushed, and images should survive the services' stack being torn down and
 * rebuilt.
 */
public final class ImageRepositoriesStack extends Stack {

    static final List<String> SERVICES = List.of("api", "pipeline");

    public ImageRepositoriesStack(Construct scope, String id, StackProps props, InfraSettings settings) {
        super(scope, id, props);
        for (String service : SERVICES) {
            Repository repository = Repository.Builder.create(this, service)
                    .repositoryName(Images.repositoryName(settings.stackName(), service))
                    // A tag names one build forever: a task restarted next month runs what was tested.
                    .imageTagMutability(TagMutability.IMMUTABLE)
                    .imageScanOnPush(true)
                    .lifecycleRules(List.of(LifecycleRule.builder()
                            .description("keep the 20 newest images")
                            .maxImageCount(20)
                            .build()))
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            CfnOutput.Builder.create(this, service + "-uri")
                    .description("push the " + service + " image here, tagged with the stack's imageTag")
                    .value(repository.getRepositoryUri())
                    .build();
        }
    }
}
