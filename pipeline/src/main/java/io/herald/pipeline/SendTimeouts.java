package io.herald.pipeline;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces the send timeout on the thread that sends, from one shared timer thread: a send still
 * running at its deadline is interrupted (providers do blocking I/O on virtual threads, which an
 * interrupt ends). A second thread per send, only to wait on the first, cost a thread start and two
 * extra hand-offs per message, which under load lengthened every send's round trip.
 *
 * <p>An interrupt never reaches the sending thread after {@link Send#finish()}: the timer interrupts
 * only while holding the send's lock and only if the send is not finished, and {@code finish} takes
 * the same lock and clears an interrupt the timer delivered. So the work that follows a send
 * (settling on SQS, recording status) cannot be cut short by a late timeout.
 */
final class SendTimeouts implements AutoCloseable {

    private final Duration timeout;
    private final ScheduledThreadPoolExecutor timer;

    SendTimeouts(Duration timeout) {
        this.timeout = timeout;
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("herald-send-timeouts").daemon()
                .factory());
        // Nearly every send finishes in time: drop its alarm at once rather than at its deadline.
        timer.setRemoveOnCancelPolicy(true);
    }

    Duration timeout() {
        return timeout;
    }

    /** Starts timing a send made by the calling thread; call {@link Send#finish()} when it returns. */
    Send start() {
        Send send = new Send(Thread.currentThread());
        send.alarm = timer.schedule(send::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return send;
    }

    /** One send being timed. */
    static final class Send {
        private final Thread sender;
        private final ReentrantLock lock = new ReentrantLock();
        private ScheduledFuture<?> alarm;
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
