package io.herald.mailprog.forward;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs forwarder passes for as long as it is open: right after herald-mailprog renames a record into new/ (inotify,
 * through WatchService), and every scanInterval besides, which catches what a watch can miss and brings held digests
 * and SQS retries around.
 */
public final class ForwarderDaemon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ForwarderDaemon.class);

    private final Forwarder forwarder;
    private final Path incoming;
    private final Duration scanInterval;
    private final PassObserver observer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private WatchService watch;
    private Thread thread;

    public ForwarderDaemon(Forwarder forwarder, Path incoming, Duration scanInterval, PassObserver observer) {
        this.forwarder = forwarder;
        this.incoming = incoming;
        this.scanInterval = scanInterval;
        this.observer = observer;
    }

    public ForwarderDaemon start() {
        try {
            watch = FileSystems.getDefault().newWatchService();
            // A rename into new/ (inotify IN_MOVED_TO) arrives as ENTRY_CREATE.
            incoming.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("cannot watch {} ({}); rescanning every {} instead", incoming, e.getMessage(), scanInterval);
        }
        thread = Thread.ofPlatform().name("mailprog-forwarder").daemon(false).start(this::loop);
        return this;
    }

    private void loop() {
        try {
            while (running) {
                try {
                    observer.passed(forwarder.pass(false));
                } catch (RuntimeException e) {
                    // One bad pass must not end the daemon; the records are still in the spool.
                    log.error("forwarder pass failed", e);
                    observer.crashed(e);
                }
                waitForWork();
            }
        } finally {
            stopped.countDown();
        }
    }

    private void waitForWork() {
        Duration retry = forwarder.retryIn();
        Duration wait = retry.isZero() || retry.compareTo(scanInterval) > 0 ? scanInterval : retry;
        try {
            if (watch == null) {
                Thread.sleep(wait.toMillis());
                return;
            }
            WatchKey key = watch.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (key != null) {
                key.pollEvents();
                key.reset();
                if (!forwarder.retryIn().isZero()) {
                    // SQS is being waited for: new files can wait too.
                    Thread.sleep(Math.min(forwarder.retryIn().toMillis(), scanInterval.toMillis()));
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                log.debug("closing the watch failed", e);
            }
        }
        forwarder.close();
    }
}
