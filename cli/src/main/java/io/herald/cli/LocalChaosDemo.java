package io.herald.cli;

import io.herald.api.LocalDemo;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.DemoStandIn;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.provider.ProviderSettings;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./herald local --demo}: the email channel delivers through Herald's real clients of every email provider whose
 * descriptor offers a {@link DemoStandIn}, talking to {@link FakeProviderApi} stand-ins on loopback, which the
 * dashboard breaks and heals, while a trickle of demo notifications (set from the dashboard) keeps traffic flowing, so
 * one sees traffic leave a broken provider, the single probes, and the recovery.
 */
final class LocalChaosDemo implements LocalDemo, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalChaosDemo.class);
    /** The trickle is sent in this many small batches per second, so it looks steady on a 2 s chart. */
    private static final int TICKS_PER_SECOND = 5;
    /** Loopback answers in microseconds; a send that takes this long means something is wrong. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
    /** Far above any demo trickle, so the rate gates never decide what the demo shows. */
    private static final int RATE_LIMIT = 1000;

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final String DEMO_FROM = "demo@herald.invalid";
    /** The channel the demo's traffic goes on; its providers with a stand-in carry it, the others are switched off. */
    static final String CHANNEL = "email";

    private final List<FakeProviderApi> fakes;
    private final AtomicInteger perSecond = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private volatile Thread trickle;

    private LocalChaosDemo(List<FakeProviderApi> fakes) {
        this.fakes = List.copyOf(fakes);
    }

    /**
     * Starts a stand-in for every provider of the demo's channel that offers one; traffic starts with
     * {@link #startTraffic}.
     */
    static LocalChaosDemo start() {
        List<FakeProviderApi> started = new ArrayList<>();
        try {
            for (ProviderDescriptor<?> provider : ProviderRegistry.installed().all()) {
                if (provider.channel().equals(CHANNEL)) {
                    provider.demoStandIn().ifPresent(api -> started.add(FakeProviderApi.start(provider.name(), api)));
                }
            }
        } catch (RuntimeException e) {
            started.forEach(FakeProviderApi::close);
            throw e;
        }
        if (started.isEmpty()) {
            throw new IllegalStateException("no " + CHANNEL + " provider offers a stand-in for the demo");
        }
        return new LocalChaosDemo(started);
    }

    /**
     * The configuration the demo runs on: the demo's channel is its providers with a stand-in, pointed at them with
     * equal weights, its other providers switched off (every other channel as configured), and health with counters is
     * published every second, so the dashboard's chart moves as the traffic does.
     */
    HeraldConfig configure(HeraldConfig running) {
        HeraldConfig.Control control = running.control();
        return running.withProviders(providers(running.providers()))
                .withControl(new HeraldConfig.Control(
                        control.refreshInterval(), HEARTBEAT, control.staleAfter(), control.parkDelay()));
    }

    private HeraldConfig.ProviderBlocks providers(HeraldConfig.ProviderBlocks configured) {
        HeraldConfig.ProviderBlocks blocks = configured;
        for (ProviderDescriptor<?> provider : ProviderRegistry.installed().all()) {
            if (provider.channel().equals(CHANNEL)) {
                blocks = blocks.with(demoBlock(provider, configured.get(provider.name())));
            }
        }
        return blocks;
    }

    /** The provider's block pointed at its stand-in, or switched off when it has none. */
    private ProviderSettings demoBlock(ProviderDescriptor<?> provider, ProviderSettings block) {
        Optional<FakeProviderApi> fake =
                fakes.stream().filter(f -> f.provider().equals(provider.name())).findFirst();
        Optional<? extends DemoStandIn<?>> api = provider.demoStandIn();
        if (fake.isEmpty() || api.isEmpty()) {
            return provider.withEnabled(block, false);
        }
        return api.get()
                .pointedAt(
                        block,
                        new DemoStandIn.Target(
                                fake.get().baseUrl(), SEND_TIMEOUT, RATE_LIMIT, Duration.ofSeconds(1), DEMO_FROM));
    }

    /** The stand-ins, in the order the dashboard shows them. */
    List<FakeProviderApi> fakes() {
        return fakes;
    }

    /** Starts the thread that puts the trickle on the queues (at 0 per second until set). */
    void startTraffic(SqsProducer producer, List<QueueRef> queues, Clock clock) {
        trickle = Thread.ofVirtual().name("herald-demo-traffic").start(() -> trickle(producer, queues, clock));
    }

    private void trickle(SqsProducer producer, List<QueueRef> queues, Clock clock) {
        long tick = 0;
        double owed = 0;
        long period = Duration.ofSeconds(1).toNanos() / TICKS_PER_SECOND;
        long next = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            owed += perSecond.get() / (double) TICKS_PER_SECOND;
            int now = (int) owed;
            owed -= now;
            if (now > 0) {
                List<Envelope> batch = new ArrayList<>(now);
                for (int i = 0; i < now; i++) {
                    long n = sent.incrementAndGet();
                    batch.add(Envelope.create(
                            CHANNEL,
                            "demo-" + n + "@example.org",
                            Content.of(
                                    "Demo notification " + n, "Sent by the local chaos demo of ./herald local --demo."),
                            Origin.api("local-demo"),
                            clock.instant()));
                }
                QueueRef queue = queues.get((int) (tick++ % queues.size()));
                try {
                    long refused = producer.send(queue.url(), batch).stream()
                            .filter(r -> !(r instanceof EnqueueResult.Enqueued))
                            .count();
                    if (refused > 0) {
                        log.warn("demo traffic: the queue refused {} of {} demo notifications", refused, now);
                    }
                } catch (RuntimeException e) {
                    log.warn("demo traffic: cannot reach the queue: {}", e.getMessage());
                }
            }
            next += period;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(sleep));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime();
            }
        }
    }

    @Override
    public State state() {
        return new State(
                fakes.stream()
                        .map(f -> new FakeProvider(f.provider(), CHANNEL, f.isBroken(), f.accepted(), f.failed()))
                        .toList(),
                new Traffic(perSecond.get(), sent.get()));
    }

    @Override
    public boolean setBroken(String provider, boolean broken) {
        for (FakeProviderApi fake : fakes) {
            if (fake.provider().equals(provider)) {
                fake.setBroken(broken);
                log.info("local demo: {} stand-in {}", provider, broken ? "broken (answers 500)" : "healed");
                return true;
            }
        }
        return false;
    }

    @Override
    public void setTraffic(int value) {
        if (value < 0 || value > MAX_PER_SECOND) {
            throw new IllegalArgumentException("perSecond must be 0 to " + MAX_PER_SECOND + ", got " + value);
        }
        perSecond.set(value);
    }

    /** Stops the trickle, then the stand-ins. */
    @Override
    public void close() {
        stopTraffic();
        fakes.forEach(FakeProviderApi::close);
    }

    /** Stops the thread that puts the trickle on the queues, if it runs. */
    void stopTraffic() {
        Thread thread = trickle;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
