package io.herald.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition with a limit, so no drill can hang: past the limit it fails naming what it waited for. */
final class Await {

    private Await() {}

    static void until(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + limit.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
