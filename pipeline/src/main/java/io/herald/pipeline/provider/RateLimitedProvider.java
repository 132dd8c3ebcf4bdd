package io.herald.pipeline.provider;

import io.herald.core.envelope.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a provider within its {@code rateLimit} per {@code ratePeriod}: the one place rate limiting happens, wrapped
 * around every provider whose block has a limit when providers are built ({@link Providers#fromConfig}), so no provider
 * class knows about it.
 *
 * <p>Waiting for the {@link RateGate} is part of the send: the gate waits at most half the provider's timeout, and the
 * provider is then told the deadline that is left ({@link Provider#send(Envelope, Instant)}), so a send still ends
 * within its timeout. A send the gate cannot admit in time is not made and comes back as the gate's
 * {@link Outcome.Retry}, as it always did. The provider's answers steer the gate: a {@link Outcome.Retry#slowDown()}
 * pauses every send of this provider and halves the rate, deliveries bring it back.
 */
public final class RateLimitedProvider implements Provider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RateLimitedProvider.class);

    private final Provider inner;
    private final RateGate gate;
    private final Duration timeout;
    private final Clock clock;

    /** @param timeout the provider's send timeout, waiting for the gate included */
    public RateLimitedProvider(Provider inner, int rateLimit, Duration ratePeriod, Duration timeout, Clock clock) {
        this.inner = inner;
        this.gate = new RateGate(inner.name(), rateLimit, ratePeriod, timeout, clock);
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String channel() {
        return inner.channel();
    }

    @Override
    public Outcome send(Envelope envelope) {
        return send(envelope, clock.instant().plus(timeout));
    }

    @Override
    public Outcome send(Envelope envelope, Instant deadline) {
        Optional<Outcome.Retry> wait = gate.enter();
        if (wait.isPresent()) {
            if (log.isDebugEnabled()) {
                log.debug("{} {} -> {}", name(), envelope.id(), wait.get());
            }
            return wait.get();
        }
        Outcome outcome = inner.send(envelope, deadline);
        switch (outcome) {
            case Outcome.Retry retry when retry.slowDown() -> gate.slowDown(retry.after());
            case Outcome.Delivered delivered -> gate.succeeded();
            default -> {
                // Other failures say nothing about the pace.
            }
        }
        return outcome;
    }

    /** Requests per period in force now; lower than configured while the provider is slowing us down. */
    public int currentRateLimit() {
        return gate.currentLimit();
    }

    /** The provider this limits, e.g. for what only it can tell (the text it would send). */
    public Provider inner() {
        return inner;
    }

    @Override
    public void close() throws Exception {
        if (inner instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return inner + " limited";
    }
}
