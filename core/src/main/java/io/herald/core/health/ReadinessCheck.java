package io.herald.core.health;

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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dependency a {@code /readyz} asks about, e.g. SQS or the status store; the API's and the pipeline admin port's
 * readiness both run theirs through {@link #runAll}.
 *
 * @param name shown in the answer
 * @param probe empty when the dependency answers as it should, otherwise what is wrong; may throw
 */
public record ReadinessCheck(String name, Supplier<Optional<String>> probe) {

    private static final Logger log = LoggerFactory.getLogger(ReadinessCheck.class);

    /** Whether every check answered "ok". */
    public static boolean allOk(Map<String, String> results) {
        return results.values().stream().allMatch("ok"::equals);
    }

    /**
     * Asks every dependency at once and waits at most {@code timeout} for all of them.
     *
     * @return each check's name with "ok" or what is wrong with it, in the order given
     */
    public static Map<String, String> runAll(List<ReadinessCheck> checks, Duration timeout)
            throws InterruptedException {
        Map<String, String> results = new LinkedHashMap<>();
        List<CompletableFuture<Optional<String>>> futures = new ArrayList<>();
        for (ReadinessCheck check : checks) {
            // A thread each, never awaited past the deadline: a probe stuck in a socket must not hold the answer.
            futures.add(CompletableFuture.supplyAsync(
                    () -> check.probe().get(), task -> Thread.ofVirtual().start(task)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < checks.size(); i++) {
            String name = checks.get(i).name();
            try {
                Optional<String> problem =
                        futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                results.put(name, problem.orElse("ok"));
            } catch (TimeoutException e) {
                futures.get(i).cancel(true);
                results.put(name, "no answer within " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                log.debug("readiness check {} failed", name, e.getCause());
                results.put(name, "unreachable: " + e.getCause().getClass().getSimpleName());
            }
        }
        return results;
    }
}
