package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The send timeout is enforced on the sending thread itself; its interrupt must never outlive the send. */
class SendTimeoutsTest {

    private SendTimeouts timeouts;

    @AfterEach
    void close() {
        if (timeouts != null) {
            timeouts.close();
        }
    }

    @Test
    void aSendStillRunningAtTheDeadlineIsInterruptedAndReportedAsTimedOut() throws Exception {
        timeouts = new SendTimeouts(Duration.ofMillis(100));
        Result result = onVirtualThread(() -> {
            SendTimeouts.Send send = timeouts.start();
            boolean interrupted = false;
            try {
                // Far longer than the timeout: only the deadline's interrupt ends it early, and the flag says so.
                Thread.sleep(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                interrupted = true;
            }
            boolean timedOut = send.finish();
            return new Result(interrupted, timedOut, Thread.currentThread().isInterrupted());
        });

        assertThat(result.interruptedDuringSend()).isTrue();
        assertThat(result.timedOut()).isTrue();
        assertThat(result.interruptedAfterFinish())
                .as("the interrupt is cleared by finish")
                .isFalse();
    }

    @Test
    void aSendThatFinishedInTimeIsNotInterruptedWhenItsDeadlineComes() throws Exception {
        timeouts = new SendTimeouts(Duration.ofMillis(50));
        Result result = onVirtualThread(() -> {
            SendTimeouts.Send send = timeouts.start();
            boolean timedOut = send.finish();
            boolean interrupted = false;
            try {
                // What follows a send (settling, recording status) runs past the old deadline.
                Thread.sleep(Duration.ofMillis(200));
            } catch (InterruptedException e) {
                interrupted = true;
            }
            return new Result(false, timedOut, interrupted);
        });

        assertThat(result.timedOut()).isFalse();
        assertThat(result.interruptedAfterFinish()).isFalse();
    }

    @Test
    void sendsEndingRightAtTheirDeadlineNeverLeaveAStrayInterrupt() throws Exception {
        timeouts = new SendTimeouts(Duration.ofMillis(2));
        AtomicInteger stray = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        AtomicInteger interruptedButNotTimedOut = new AtomicInteger();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 500; i++) {
                // Most sends end around the deadline: some just before it, some just after; which ones
                // depends on scheduling, so a busy machine may time out none of them. Every 50th send
                // runs far past it, so the timeout path is exercised whatever the machine's load.
                long sendNanos = i % 50 == 0
                        ? Duration.ofSeconds(5).toNanos()
                        : ThreadLocalRandom.current().nextLong(1_000_000, 3_000_000);
                threads.submit(() -> {
                    SendTimeouts.Send send = timeouts.start();
                    boolean interrupted = false;
                    try {
                        Thread.sleep(Duration.ofNanos(sendNanos));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                    boolean late = send.finish();
                    if (late) {
                        timedOut.incrementAndGet();
                    } else if (interrupted) {
                        interruptedButNotTimedOut.incrementAndGet();
                    }
                    try {
                        Thread.sleep(Duration.ofMillis(5));
                    } catch (InterruptedException e) {
                        stray.incrementAndGet();
                    }
                    return null;
                });
            }
        }

        assertThat(stray.get())
                .as("interrupts that reached the work after a send")
                .isZero();
        assertThat(interruptedButNotTimedOut.get())
                .as("interrupts not reported as a timeout")
                .isZero();
        assertThat(timedOut.get()).as("sends that outlived the deadline").isGreaterThanOrEqualTo(10);
    }

    @Test
    void aSlowSendIsNoticedWhileItRunsAndAQuickOneNever() throws Exception {
        timeouts = new SendTimeouts(Duration.ofSeconds(10), Duration.ofMillis(50));
        CountDownLatch noticed = new CountDownLatch(1);
        AtomicInteger quickNoticed = new AtomicInteger();

        onVirtualThread(() -> {
            SendTimeouts.Send quick = timeouts.start(quickNoticed::incrementAndGet);
            quick.finish();
            SendTimeouts.Send slow = timeouts.start(noticed::countDown);
            // The send runs until it has been noticed: a condition, not a guess at how long that takes.
            assertThat(noticed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(slow.finish()).as("timed out").isFalse();
            return null;
        });
        // The quick send's notice was cancelled by its finish: a notice scheduled after it has fired,
        // and the one timer thread runs them in order.
        CountDownLatch later = new CountDownLatch(1);
        SendTimeouts.Send laterSend = timeouts.start(later::countDown);
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        laterSend.finish();
        assertThat(quickNoticed).hasValue(0);
    }

    @Test
    void withNoDelayEverySendIsNoticedAtOnce() {
        timeouts = new SendTimeouts(Duration.ofSeconds(10), Duration.ZERO);
        AtomicInteger noticed = new AtomicInteger();

        timeouts.start(noticed::incrementAndGet).finish();

        assertThat(noticed).hasValue(1);
    }

    private record Result(boolean interruptedDuringSend, boolean timedOut, boolean interruptedAfterFinish) {}

    private static Result onVirtualThread(Callable<Result> work) throws Exception {
        try (var thread = Executors.newVirtualThreadPerTaskExecutor()) {
            return thread.submit(work).get();
        }
    }
}
