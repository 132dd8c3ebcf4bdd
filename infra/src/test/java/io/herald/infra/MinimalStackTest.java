package io.herald.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack with the fewest settings: no certificate, no SES identity, no metrics sidecar. Shares the node process the
 * other stack tests start, so it costs one more synthesis, not a new process.
 */
class MinimalStackTest {

    @Test
    void servesPlainHttpAndLeavesOutWhatWasNotAskedFor() {
        App app = new App(AppProps.builder()
                .context(Map.of(
                        "stackName", "Minimal",
                        "heraldConfig", SynthesizedTemplates.resource("herald-deploy-test.yaml"),
                        "metricsCollector", ""))
                .build());
        HeraldInfraApp.define(app);
        Template template = Template.fromStack((Stack) app.getNode().findChild("Minimal"));

        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Protocol", "HTTP", "Port", 80));
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        template.resourceCountIs("AWS::SES::EmailIdentity", 0);
        template.resourceCountIs("AWS::SNS::Subscription", 0);
        // Dead letters and oldest message per queue, API errors; no breaker alarm without the sidecar's metric.
        template.resourceCountIs("AWS::CloudWatch::Alarm", 2 * 3 + 1);
        Map<String, Map<String, Object>> tasks = template.findResources("AWS::ECS::TaskDefinition");
        List<Object> names = tasks.values().stream()
                .flatMap(t -> ((List<?>) ((Map<?, ?>) t.get("Properties")).get("ContainerDefinitions")).stream())
                .map(c -> ((Map<?, ?>) c).get("Name"))
                .map(Object.class::cast)
                .toList();
        assertThat(names).containsExactlyInAnyOrder("api", "pipeline");
    }
}
