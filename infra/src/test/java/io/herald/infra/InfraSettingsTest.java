package io.herald.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraSettingsTest {

    @Test
    void defaultsAreValid() {
        InfraSettings s = InfraSettings.from(key -> null);
        assertThat(s.stackName()).isEqualTo("Herald");
        assertThat(s.https()).isFalse();
        assertThat(s.heraldConfig()).isEmpty();
    }

    @Test
    void readsNumbersGivenAsTextOrAsJsonNumbers() {
        Map<String, Object> context = Map.of("pipelineMaxTasks", "20", "backlogPerTask", 250, "api5xxPercent", 2.5);
        InfraSettings s = InfraSettings.from(context::get);
        assertThat(s.pipelineMaxTasks()).isEqualTo(20);
        assertThat(s.backlogPerTask()).isEqualTo(250);
        assertThat(s.api5xxPercent()).isEqualTo(2.5);
    }

    @Test
    void namesEveryBadValueAtOnce() {
        Map<String, Object> context = Map.of(
                "pipelineMinTasks",
                "0",
                "apiCpu",
                "300",
                "logRetentionDays",
                "10",
                "natGateways",
                "x",
                "certificateArn",
                "my-cert");
        assertThatThrownBy(() -> InfraSettings.from(context::get))
                .hasMessageContaining("pipelineMinTasks must be at least 1")
                .hasMessageContaining("apiCpu must be one of Fargate's sizes")
                .hasMessageContaining("logRetentionDays must be one of")
                .hasMessageContaining("natGateways must be a whole number")
                .hasMessageContaining("certificateArn must be an ACM certificate ARN");
    }

    @Test
    void refusesMemoryFargateDoesNotPairWithTheCpu() {
        assertThatThrownBy(() -> InfraSettings.from(
                        Map.<String, Object>of("pipelineCpu", "256", "pipelineMemoryMiB", "4096")::get))
                .hasMessageContaining("pipelineMemoryMiB 4096 does not fit pipelineCpu 256");
    }
}
