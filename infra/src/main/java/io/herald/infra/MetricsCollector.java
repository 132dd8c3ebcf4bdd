package io.herald.infra;

import software.amazon.awscdk.Aws;

/**
 * The configuration of the pipeline's metrics sidecar (the AWS Distro for OpenTelemetry collector).
 *
 * <p>The pipeline exposes Prometheus metrics on its admin port and publishes nothing to CloudWatch itself. The sidecar
 * scrapes {@code /metrics} over the task's loopback and writes the breaker state ({@code herald_worker_healthy}: 1
 * healthy, 0 unhealthy or probing, per worker) and the queue depth the pipeline sees as CloudWatch
 * embedded-metric-format log events, which CloudWatch turns into metrics in {@link #namespace}. That is what the
 * breaker alarm watches.
 */
final class MetricsCollector {

    private MetricsCollector() {}

    static String namespace(String stackName) {
        return stackName + "/Pipeline";
    }

    /** @param logGroupName the EMF log group (a token in the stack) */
    static String config(String stackName, String logGroupName) {
        return String.join(
                "\n",
                "receivers:",
                "  prometheus:",
                "    config:",
                "      scrape_configs:",
                "        - job_name: herald-pipeline",
                "          scrape_interval: 30s",
                "          metrics_path: /metrics",
                "          static_configs:",
                "            - targets: ['127.0.0.1:" + ContainerEnvironment.ADMIN_PORT + "']",
                "exporters:",
                "  awsemf:",
                "    region: " + Aws.REGION,
                "    namespace: '" + namespace(stackName) + "'",
                "    log_group_name: '" + logGroupName + "'",
                "    log_stream_name: 'pipeline-{TaskId}'",
                "    dimension_rollup_option: NoDimensionRollup",
                "    metric_declarations:",
                "      - dimensions: [[worker]]",
                "        metric_name_selectors: [herald_worker_healthy]",
                "      - dimensions: [[queue]]",
                "        metric_name_selectors: [herald_queue_depth]",
                "service:",
                "  pipelines:",
                "    metrics:",
                "      receivers: [prometheus]",
                "      exporters: [awsemf]",
                "");
    }
}
