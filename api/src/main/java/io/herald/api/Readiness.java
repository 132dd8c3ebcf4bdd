package io.herald.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /readyz}: asks every dependency at once and answers 200 only when all of them
 * answered in time, so a load balancer stops sending requests that could only get 503s.
 */
final class Readiness implements Handler {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);
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
        Map<String, String> results = new LinkedHashMap<>();
        List<CompletableFuture<Optional<String>>> futures = new ArrayList<>();
        for (ReadinessCheck check : checks) {
            // A thread each, never awaited past the deadline: a probe stuck in a socket must not hold the answer.
            futures.add(CompletableFuture.supplyAsync(() -> check.probe().get(), task -> Thread.ofVirtual().start(task)));
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int i = 0; i < checks.size(); i++) {
            String name = checks.get(i).name();
            try {
                Optional<String> problem = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                results.put(name, problem.orElse("ok"));
            } catch (TimeoutException e) {
                futures.get(i).cancel(true);
                results.put(name, "no answer within " + TIMEOUT.toSeconds() + " s");
            } catch (ExecutionException e) {
                log.debug("readiness check {} failed", name, e.getCause());
                results.put(name, "unreachable: " + e.getCause().getClass().getSimpleName());
            }
        }
        boolean ready = results.values().stream().allMatch("ok"::equals);
        json.reply(ctx, ready ? HttpStatus.OK.getCode() : HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                new ApiJson.Readiness(ready ? "ready" : "not ready", results));
    }
}
