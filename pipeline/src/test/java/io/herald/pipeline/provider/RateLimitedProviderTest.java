package io.herald.pipeline.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.envelope.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitedProviderTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    // A fixed clock: the gate's pauses and the deadlines are then exact, and no test waits for them.
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    /**
     * The provider behind the limit, scripted in code: the decorator only sees {@link Provider}, so a real provider's
     * HTTP fake would add nothing here (the providers' own tests use those).
     */
    private static final class Scripted implements Provider {
        final List<Instant> deadlines = new ArrayList<>();
        Outcome next = new Outcome.Delivered("id-1");

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public String channel() {
            return "email";
        }

        @Override
        public Outcome send(Envelope envelope) {
            return send(envelope, Instant.MAX);
        }

        @Override
        public Outcome send(Envelope envelope, Instant deadline) {
            deadlines.add(deadline);
            return next;
        }
    }

    @Test
    void theProviderIsToldTheDeadlineOfTheWholeSendWaitingIncluded() {
        Scripted inner = new Scripted();
        RateLimitedProvider limited = new RateLimitedProvider(inner, 100, Duration.ofSeconds(1), TIMEOUT, clock);

        assertThat(limited.send(Fixtures.envelope("email", "a@example.org"))).isEqualTo(new Outcome.Delivered("id-1"));

        assertThat(inner.deadlines).containsExactly(NOW.plus(TIMEOUT));
        assertThat(limited.name()).isEqualTo("scripted");
        assertThat(limited.channel()).isEqualTo("email");
    }

    @Test
    void aSendTheGateCannotAdmitWithinTheTimeoutIsARetryAndIsNotMade() {
        Scripted inner = new Scripted();
        RateLimitedProvider limited = new RateLimitedProvider(inner, 1, Duration.ofMinutes(1), TIMEOUT, clock);

        limited.send(Fixtures.envelope("email", "a@example.org"));
        Outcome second = limited.send(Fixtures.envelope("email", "b@example.org"));

        assertThat(second).isInstanceOf(Outcome.Retry.class);
        assertThat(inner.deadlines).hasSize(1);
    }

    @Test
    void aProviderAskingToSlowDownPausesEverySendAndHalvesTheRate() {
        Scripted inner = new Scripted();
        RateLimitedProvider limited = new RateLimitedProvider(inner, 100, Duration.ofSeconds(1), TIMEOUT, clock);
        inner.next = Outcome.Retry.slowDown(Duration.ofSeconds(30), "429");

        limited.send(Fixtures.envelope("email", "a@example.org"));
        Outcome next = limited.send(Fixtures.envelope("email", "b@example.org"));

        assertThat(next)
                .isEqualTo(new Outcome.Retry(
                        Duration.ofSeconds(30), "provider asked to slow down; not sending for 30000 ms"));
        assertThat(inner.deadlines).hasSize(1);
        assertThat(limited.currentRateLimit()).isEqualTo(50);
    }

    @Test
    void anOrdinaryRetryLeavesThePaceAlone() {
        Scripted inner = new Scripted();
        RateLimitedProvider limited = new RateLimitedProvider(inner, 100, Duration.ofSeconds(1), TIMEOUT, clock);
        inner.next = new Outcome.Retry(Duration.ofSeconds(30), "HTTP 503");

        limited.send(Fixtures.envelope("email", "a@example.org"));
        limited.send(Fixtures.envelope("email", "b@example.org"));

        assertThat(inner.deadlines).hasSize(2);
        assertThat(limited.currentRateLimit()).isEqualTo(100);
    }
}
