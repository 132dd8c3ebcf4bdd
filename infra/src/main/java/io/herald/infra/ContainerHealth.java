package io.herald.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ecs.HealthCheck;

/**
 * Container health checks. They run {@code /opt/herald/bin/healthcheck}, which the images carry (infra/src/main/jib): a
 * bash script speaking HTTP/1.0 over /dev/tcp, because the runtime image has no curl and starting a second JVM every 30
 * seconds would cost more than the check.
 */
final class ContainerHealth {

    static final String SCRIPT = "/opt/herald/bin/healthcheck";

    private ContainerHealth() {}

    /** Liveness: the process answers on {@code port} at {@code path}; it says nothing about SQS or providers. */
    static HealthCheck http(int port, String path) {
        return HealthCheck.builder()
                .command(List.of("CMD", SCRIPT, Integer.toString(port), path))
                .interval(Duration.seconds(30))
                .timeout(Duration.seconds(5))
                .retries(3)
                // JVM start plus resolving the queues and the table.
                .startPeriod(Duration.seconds(60))
                .build();
    }
}
