package io.herald.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workers of one channel, and the rule that splits its messages between them.
 *
 * <p>Each iteration, every unhealthy worker whose rest is over gets exactly one message as a probe
 * ({@link #probesFor}). Every other message goes to a healthy worker chosen by smooth weighted round robin among those
 * with a free send slot ({@link #take}): with capacity to spare the split follows the weights exactly, and a slow
 * provider whose slots are full simply gets fewer messages instead of holding up the rest. When no worker is healthy,
 * messages are spread evenly over all of them, and only probes decide when one is healthy again. A paused worker gets
 * nothing, not even a probe; when every worker is paused, the pool takes no message at all.
 */
final class WorkerPool {

    private final String channel;
    private final List<Worker> workers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();

    WorkerPool(String channel, List<Worker> workers) {
        this.channel = channel;
        this.workers = List.copyOf(workers);
    }

    String channel() {
        return channel;
    }

    List<Worker> workers() {
        return workers;
    }

    /** A worker chosen for one message, and how the send counts towards its health. */
    record Pick(Worker worker, Worker.SendKind kind) {}

    /**
     * Takes at most one probe permission per unhealthy worker; the caller sends one message to each worker returned
     * (their send slots are already taken).
     */
    List<Worker> probesFor(int messages) {
        List<Worker> probes = new ArrayList<>();
        for (Worker worker : workers) {
            if (probes.size() == messages) {
                break;
            }
            if (worker.hasFreeSlot() && worker.tryProbe()) {
                if (worker.tryTakeSlot()) {
                    probes.add(worker);
                } else {
                    worker.abandon(Worker.SendKind.PROBE);
                }
            }
        }
        return probes;
    }

    /** Whether some worker is not paused, so the pool can take messages. */
    boolean isOpen() {
        return workers.stream().anyMatch(w -> !w.isPaused());
    }

    /**
     * Chooses the worker for one message and takes one of its send slots, waiting while every candidate is busy.
     *
     * @return the pick, or null when every worker is paused (the caller puts the message back)
     * @throws InterruptedException when the pipeline stops while waiting
     */
    Pick take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (!isOpen()) {
                    return null;
                }
                boolean anyHealthy = workers.stream().anyMatch(w -> !w.isPaused() && w.isHealthy());
                Worker chosen = choose(anyHealthy);
                if (chosen != null && chosen.tryTakeSlot()) {
                    boolean counted = anyHealthy && chosen.tryCount();
                    return new Pick(chosen, counted ? Worker.SendKind.COUNTED : Worker.SendKind.UNCOUNTED);
                }
                // Wakes on a freed slot, or rechecks health now and then: a breaker may close meanwhile.
                slotFreed.await(50, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns a slot taken by {@link #take} or {@link #probesFor}. */
    void release(Worker worker) {
        worker.releaseSlot();
        lock.lock();
        try {
            slotFreed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Smooth weighted round robin over candidates with a free slot; equal weights when all are down. */
    private Worker choose(boolean anyHealthy) {
        long total = 0;
        Worker best = null;
        for (Worker worker : workers) {
            if (worker.isPaused() || (anyHealthy && !worker.isHealthy()) || !worker.hasFreeSlot()) {
                continue;
            }
            int weight = anyHealthy ? worker.weight() : 1;
            worker.currentWeight += weight;
            total += weight;
            if (best == null || worker.currentWeight > best.currentWeight) {
                best = worker;
            }
        }
        if (best != null) {
            best.currentWeight -= total;
        }
        return best;
    }
}
