package io.herald.pipeline;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces the send timeout on the thread that sends, from one shared timer thread: a send still running at its
 * deadline is interrupted (providers do blocking I/O on virtual threads, which an interrupt ends). A second thread per
 * send, only to wait on the first, cost a thread start and two extra hand-offs per message, which under load lengthened
 * every send's round trip.
 *
 * <p>An interrupt never reaches the sending thread after {@link Send#finish()}: the timer interrupts only while holding
 * the send's lock and only if the send is not finished, and {@code finish} takes the same lock and clears an interrupt
 * the timer delivered. So the work that follows a send (settling on SQS, recording status) cannot be cut short by a
 * late timeout.
 *
 * <p>The same timer notices sends that are slow enough to be seen: a send still running after {@code slowAfter} gets
 * its {@code whenSlow} run (the pipeline records it as "sending" then), so the many sends that end sooner cost no
 * status write before their outcome.
 */
final class SendTimeouts implements AutoCloseable {

    private final Duration timeout;
    private final Duration slowAfter;
    private final ScheduledThreadPoolExecutor timer;

    SendTimeouts(Duration timeout) {
        this(timeout, null);
    }

    /** @param slowAfter when a send counts as slow (zero: at once, on the sending thread; null: never) */
    SendTimeouts(Duration timeout, Duration slowAfter) {
        this.timeout = timeout;
        this.slowAfter = slowAfter;
        this.timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("herald-send-timeouts").daemon().factory());
        // Nearly every send finishes in time: drop its alarm at once rather than at its deadline.
        timer.setRemoveOnCancelPolicy(true);
    }

    Duration timeout() {
        return timeout;
    }

    /** Starts timing a send made by the calling thread; call {@link Send#finish()} when it returns. */
    Send start() {
        return start(null);
    }

    /**
     * Like {@link #start()}, and runs {@code whenSlow} if the send is still running after {@code slowAfter} (on the
     * timer's thread, so it must be quick; never after {@link Send#finish()} has returned, unless it was already
     * running then).
     */
    Send start(Runnable whenSlow) {
        Send send = new Send(Thread.currentThread());
        if (whenSlow != null && slowAfter != null) {
            if (slowAfter.isZero()) {
                whenSlow.run();
            } else {
                send.slow = timer.schedule(whenSlow, slowAfter.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        send.alarm = timer.schedule(send::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return send;
    }

    /** One send being timed. */
    static final class Send {
        private final Thread sender;
        private final ReentrantLock lock = new ReentrantLock();
        private ScheduledFuture<?> alarm;
        private ScheduledFuture<?> slow;
        private boolean finished;
        private boolean timedOut;

        private Send(Thread sender) {
            this.sender = sender;
        }

        private void expire() {
            lock.lock();
            try {
                if (!finished) {
                    timedOut = true;
                    sender.interrupt();
                }
            } finally {
                lock.unlock();
            }
        }

        /**
         * Ends the timing; must be called by the sending thread.
         *
         * @return whether the deadline passed and the send was interrupted (the interrupt is cleared)
         */
        boolean finish() {
            alarm.cancel(false);
            if (slow != null) {
                slow.cancel(false);
            }
            lock.lock();
            try {
                finished = true;
                if (timedOut) {
                    Thread.interrupted();
                }
                return timedOut;
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
