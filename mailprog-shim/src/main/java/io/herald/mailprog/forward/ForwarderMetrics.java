package io.herald.mailprog.forward;

import io.herald.mailprog.spool.Spool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forwarder's metrics for node_exporter's textfile collector: after every pass, {@value #FILE_NAME} is written into
 * the collector's directory, atomically (a temporary file the collector ignores, then a rename), so a scrape never
 * reads half a file.
 *
 * <p>Why a file and not a port: the forwarder runs beside slurmctld, where sites already run node_exporter; the file
 * needs no new listening port (nothing to firewall, authenticate or clash), and node_exporter's
 * {@code node_textfile_mtime_seconds} together with {@code herald_mailprog_last_pass_timestamp_seconds} tell a stopped
 * forwarder from a quiet one. Every counter is written from the first pass on, at 0.
 */
public final class ForwarderMetrics implements PassObserver {

    /** The collector reads {@code *.prom} only; the temporary file ends otherwise. */
    public static final String FILE_NAME = "herald_mailprog.prom";

    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private static final Logger log = LoggerFactory.getLogger(ForwarderMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Spool spool;
    private final Path dir;
    private final Clock clock;
    private final Counter forwarded;
    private final Counter sendFailures;
    private final Counter quarantined;
    private final Counter passErrors;
    private final Counter muted;
    private final AtomicReference<Backlog> backlog = new AtomicReference<>(new Backlog(0, 0, 0, 0));
    private final AtomicReference<Double> lastPass = new AtomicReference<>(0.0);
    /** The last write problem, logged once per change rather than every pass. */
    private String writeTrouble;

    /** What the spool held after the last pass. */
    private record Backlog(int waiting, double oldestAgeSeconds, int setAside, int held) {}

    public ForwarderMetrics(Spool spool, Path dir, Clock clock) {
        this.spool = spool;
        this.dir = dir;
        this.clock = clock;
        this.forwarded = Counter.builder("herald.mailprog.forwarded")
                .description("Spool records SQS acknowledged in full and the forwarder removed")
                .register(registry);
        this.sendFailures = Counter.builder("herald.mailprog.send.failures")
                .description("Spool records an SQS attempt did not get through (they stay in new/ and are retried)")
                .register(registry);
        this.quarantined = Counter.builder("herald.mailprog.quarantined")
                .description("Spool records moved to failed/ because they can never be sent (see their .reason)")
                .register(registry);
        this.passErrors = Counter.builder("herald.mailprog.pass.errors")
                .description("Forwarder passes that could not do all their work (spool unreadable, a crash)")
                .register(registry);
        this.muted = Counter.builder("herald.mailprog.muted")
                .description("Spool records not sent because their owner's preferences silence them (a muted cluster "
                        + "or partition, or a kind of event they want nothing of)")
                .register(registry);
        Gauge.builder("herald.mailprog.spool.waiting", backlog, b -> b.get().waiting())
                .description("Spool records in new/ waiting to be forwarded")
                .register(registry);
        Gauge.builder("herald.mailprog.spool.oldest.age", backlog, b -> b.get().oldestAgeSeconds())
                .baseUnit("seconds")
                .description("Age of the oldest spool record in new/ (0 when none)")
                .register(registry);
        Gauge.builder("herald.mailprog.spool.failed", backlog, b -> b.get().setAside())
                .description("Spool records in failed/ now (retry-failed puts them back)")
                .register(registry);
        Gauge.builder("herald.mailprog.held", backlog, b -> b.get().held())
                .description("Notifications held for a digest: over a user's cap, in their quiet hours, or for their "
                        + "hourly or daily digest")
                .register(registry);
        Gauge.builder("herald.mailprog.last.pass.timestamp", lastPass, AtomicReference::get)
                .baseUnit("seconds")
                .description("When the forwarder last finished a pass (Unix time)")
                .register(registry);
    }

    @Override
    public void passed(PassResult result) {
        forwarded.increment(result.delivered());
        sendFailures.increment(result.unsent());
        quarantined.increment(result.failed());
        muted.increment(result.muted());
        if (!result.errors().isEmpty()) {
            passErrors.increment();
        }
        refresh(result.held());
    }

    @Override
    public void crashed(RuntimeException e) {
        passErrors.increment();
        refresh(backlog.get().held());
    }

    private void refresh(int held) {
        Instant now = clock.instant();
        backlog.set(measure(now, held));
        lastPass.set(now.toEpochMilli() / 1000.0);
        write();
    }

    private Backlog measure(Instant now, int held) {
        Backlog before = backlog.get();
        try {
            List<Path> waiting = spool.pending();
            double oldest = 0;
            for (Path p : waiting) {
                try {
                    Instant captured = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                            .toInstant();
                    oldest = Math.max(0, Duration.between(captured, now).toMillis() / 1000.0);
                    break;
                } catch (NoSuchFileException gone) {
                    // Forwarded meanwhile: the next one is the oldest.
                }
            }
            return new Backlog(waiting.size(), oldest, spool.setAside().size(), held);
        } catch (UncheckedIOException | IOException e) {
            // The pass already logged what is wrong with the spool; keep the last figures.
            return new Backlog(before.waiting(), before.oldestAgeSeconds(), before.setAside(), held);
        }
    }

    /** Writes the file now (the daemon calls it after each pass; the CLI once at start). */
    public void write() {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + FILE_NAME + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                registry.scrape(out);
            }
            // Readable by node_exporter, which runs as another user; set after creation because
            // the shipped unit's UMask=0027 would take the bits for others off a creation mode.
            Files.setPosixFilePermissions(tmp, READABLE);
            Files.move(
                    tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            if (writeTrouble != null) {
                log.info("writing {} works again", dir.resolve(FILE_NAME));
                writeTrouble = null;
            }
        } catch (IOException | UnsupportedOperationException e) {
            String trouble = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!trouble.equals(writeTrouble)) {
                log.warn(
                        "cannot write the forwarder's metrics into {} (mailprog.metricsTextfileDir): {}; "
                                + "forwarding goes on without them",
                        dir,
                        trouble);
                writeTrouble = trouble;
            }
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    log.debug("cannot remove {}", tmp, e);
                }
            }
        }
    }
}
