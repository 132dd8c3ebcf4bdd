package io.herald.infra;

import software.amazon.awscdk.App;

/**
 * The AWS CDK app that deploys Herald. It defines no stacks yet: queues, the status table and
 * the Fargate services arrive with the deployment work. Running it (through {@code cdk synth})
 * needs node, because the CDK's constructs run in a jsii node process.
 */
public final class HeraldInfraApp {

    private HeraldInfraApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        app.synth();
    }
}
