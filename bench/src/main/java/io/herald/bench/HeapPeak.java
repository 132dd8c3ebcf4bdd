package io.herald.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest heap use seen while it is open, sampled every few milliseconds. It is this JVM's
 * heap, so it includes everything running in it (ElasticMQ, fakes): compare runs side by side.
 */
final class HeapPeak implements AutoCloseable {

    private static final Duration EVERY = Duration.ofMillis(10);

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;

    HeapPeak() {
        // Each run starts from a collected heap, so the peaks of runs side by side compare.
        System.gc();
        sampler = Thread.ofPlatform().daemon().name("heap-peak").start(() -> {
            while (running.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(EVERY);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    double mebibytes() {
        return peak.get() / (1024.0 * 1024.0);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        sampler.join();
    }
}
