package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ranges declared on the records' fields, as a user meets them: through the loader. */
class ConfigConstraintsTest {

    private static ConfigException problems(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of()).loadYaml(yaml));
    }

    @Test
    void aValueOutOfItsRangeIsOneProblemNamingKeyVariableRangeAndValue() {
        ConfigException e = problems("pipeline: {maxInFlight: 5}");

        assertThat(e.problems())
                .containsExactly(
                        "pipeline.maxInFlight (HERALD_PIPELINE_MAX_IN_FLIGHT): must be between 10 and 100000, got 5");
    }

    @Test
    void durationBoundsAndValuesReadAsTheYamlWritesThem() {
        ConfigException e = problems("status: {ttl: 30m}\ncontrol: {parkDelay: 16m}");

        assertThat(e.problems())
                .containsExactly(
                        "status.ttl (HERALD_STATUS_TTL): must be between 1h and 8760h, got 30m",
                        "control.parkDelay (HERALD_CONTROL_PARK_DELAY): must be between 1s and 15m, got 16m");
    }

    @Test
    void aDurationWithoutValueIsMissingNotOutOfRange() {
        // The loader never binds one (an empty value is a type error there); a configuration built in code can.
        HeraldConfig.Control control = HeraldConfig.Control.defaults();
        HeraldConfig config = HeraldConfig.defaults()
                .withControl(new HeraldConfig.Control(
                        control.refreshInterval(), control.heartbeatInterval(), null, control.parkDelay()));

        assertThat(ConfigValidator.problems(config))
                .containsExactly("control.staleAfter (HERALD_CONTROL_STALE_AFTER): is missing; write e.g. 30s");
    }

    @Test
    void nestedSectionsAndProviderBlocksReportTheirFullKeys() {
        ConfigException e = problems("""
                mailprog: {hints: {gpuPercent: 0}, throttle: {window: 0s}}
                providers: {ntfy: {priority: 9}}
                local: {sqsPort: 70000}
                """);

        assertThat(e.problems())
                .containsExactly(
                        "local.sqsPort (HERALD_LOCAL_SQS_PORT): must be a TCP port between 0 and 65535 (0 picks a "
                                + "free one), "
                                + "got 70000",
                        "mailprog.throttle.window (HERALD_MAILPROG_THROTTLE_WINDOW): must be between 1s and 168h, "
                                + "got 0s",
                        "mailprog.hints.gpuPercent (HERALD_MAILPROG_HINTS_GPU_PERCENT): must be between 1 and 100, "
                                + "got 0",
                        "providers.ntfy.priority (HERALD_PROVIDERS_NTFY_PRIORITY): must be between 1 (min) and 5 "
                                + "(max), got 9");
    }

    @Test
    void crossFieldRulesStillFollowTheFieldRules() {
        ConfigException e = problems("pipeline: {retryBaseDelay: 2m, retryMaxDelay: 1m, receiveWait: 21s}");

        assertThat(e.problems())
                .containsExactly(
                        "pipeline.receiveWait (HERALD_PIPELINE_RECEIVE_WAIT): must be between 0s and 20s, got 21s",
                        "pipeline.retryBaseDelay (HERALD_PIPELINE_RETRY_BASE_DELAY): 2m is longer than "
                                + "pipeline.retryMaxDelay (1m)");
    }

    @Test
    void theDefaultsBreakNoRule() {
        assertThat(ConfigValidator.problems(HeraldConfig.defaults())).isEmpty();
    }
}
