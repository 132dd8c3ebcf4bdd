package io.herald.api;

import io.herald.core.health.ReadinessCheck;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /readyz}: asks every dependency at once and answers 200 only when all of them answered in time, so a load
 * balancer stops sending requests that could only get 503s.
 */
final class Readiness implements Handler {

    /** Below a load balancer's usual probe timeout, so a hung dependency reads as "not ready", not as a hung API. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final List<ReadinessCheck> checks;
    private final ApiJson json;

    Readiness(List<ReadinessCheck> checks, ApiJson json) {
        this.checks = List.copyOf(checks);
        this.json = json;
    }

    @Override
    public void handle(Context ctx) throws InterruptedException {
        Map<String, String> results = ReadinessCheck.runAll(checks, TIMEOUT);
        boolean ready = ReadinessCheck.allOk(results);
        json.reply(
                ctx,
                ready ? HttpStatus.OK.getCode() : HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                new ApiJson.Readiness(ready ? "ready" : "not ready", results));
    }
}
